// The first-admin page that the link printed by `dharmaplans serve` opens:
// it posts the token from its link, with the new admin's details, to the
// API. (The links in account emails open the reader web app instead.)
const form = document.getElementById("form");
const status = document.getElementById("status");
const token = new URLSearchParams(location.search).get("token") || "";
// Keep the token out of the history and of anything that reads the URL later.
history.replaceState(null, "", location.pathname);

function show(text, isError) {
  status.className = isError ? "error" : "";
  status.textContent = text;
}

async function send(fields) {
  const res = await fetch("/v1/setup/admin", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ ...fields, token }),
  });
  if (res.ok) {
    form.hidden = true;
    show("Done: the admin account exists. You can sign in now.", false);
    return;
  }
  const problem = await res.json().catch(() => ({}));
  // Field problems say exactly what to fix; otherwise the summary does.
  const details = (problem.errors || []).map((e) => e.message.charAt(0).toUpperCase() + e.message.slice(1) + ".");
  show(details.length ? details.join(" ") : problem.detail || "Something went wrong; try again.", true);
}

if (!token) {
  form.hidden = true;
  show("This link is incomplete: open the whole link that the server printed.", true);
} else {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button");
    button.disabled = true;
    show("Working…", false);
    try {
      await send(Object.fromEntries(new FormData(form)));
    } finally {
      button.disabled = false;
    }
  });
}
