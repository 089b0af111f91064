// The account pages that emailed and printed links open: create the first
// admin, confirm an email address, choose a new password. Each posts the
// token from its link to the API. (The reader web app takes these over.)
const page = document.body.dataset.page;
const form = document.getElementById("form");
const status = document.getElementById("status");
const token = new URLSearchParams(location.search).get("token") || "";
// Keep the token out of the history and of anything that reads the URL later.
history.replaceState(null, "", location.pathname);

const done = {
  "setup": "Done: the admin account exists. You can sign in now.",
  "verify-email": "Thank you: your email address is confirmed.",
  "reset-password": "Done: your password is changed. Sign in with the new one.",
};
const endpoint = {
  "setup": "/v1/setup/admin",
  "verify-email": "/v1/auth/verify-email",
  "reset-password": "/v1/auth/password-reset/confirm",
};

function show(text, isError) {
  status.className = isError ? "error" : "";
  status.textContent = text;
}

async function send(fields) {
  const res = await fetch(endpoint[page], {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ ...fields, token }),
  });
  if (res.ok) {
    if (form) form.hidden = true;
    show(done[page], false);
    return;
  }
  const problem = await res.json().catch(() => ({}));
  // Field problems say exactly what to fix; otherwise the summary does.
  const details = (problem.errors || []).map((e) => e.message.charAt(0).toUpperCase() + e.message.slice(1) + ".");
  show(details.length ? details.join(" ") : problem.detail || "Something went wrong; try again.", true);
}

if (!token) {
  if (form) form.hidden = true;
  show("This link is incomplete: open the whole link from your email.", true);
} else {
  // A button, not an automatic post: mail scanners that open links must
  // not spend the token before the person does.
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
