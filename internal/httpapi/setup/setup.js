// Posts the first-admin form to the API with the token from the link.
const form = document.getElementById("setup");
const status = document.getElementById("status");
const token = new URLSearchParams(location.search).get("token") || "";
// Keep the token out of the history and of anything that reads the URL later.
history.replaceState(null, "", location.pathname);
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  status.className = "";
  status.textContent = "Creating…";
  const body = Object.fromEntries(new FormData(form));
  body.token = token;
  const res = await fetch("/v1/setup/admin", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  if (res.ok) {
    form.hidden = true;
    status.textContent = "Done: the admin account exists. You can sign in now.";
    return;
  }
  const problem = await res.json().catch(() => ({}));
  const fields = (problem.errors || []).map((e) => e.message).join("; ");
  status.className = "error";
  status.textContent = (problem.detail || "Something went wrong.") + (fields ? " " + fields : "");
});
