/** The console's two HTML documents. No inline script or style: the CSP allows only files of this origin. */

const escapeHtml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;')

function document(title: string, head: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/console/app.css">
${head}</head>
<body>
${body}
</body>
</html>
`
}

/** Works without JavaScript: a plain form posted to /sign-in. */
export function signInPage(failure?: string): string {
  const message = failure ? `<p class="error" role="alert">${escapeHtml(failure)}</p>\n` : ''
  return document(
    'Sign in · esc local console',
    '',
    `<main class="sign-in">
<h1>esc local console</h1>
${message}<form method="post" action="/sign-in">
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required autofocus>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>
<p class="hint">Use the user and password <code>esc local start</code> printed at its first start.</p>
</main>`,
  )
}

/** The app's shell: the script renders the views; the CSRF token is read from the meta tag. */
export function shellPage(user: string, csrfToken: string): string {
  return document(
    'esc local console',
    `<meta name="csrf-token" content="${escapeHtml(csrfToken)}">
<meta name="console-user" content="${escapeHtml(user)}">
<script type="module" src="/console/app.js"></script>
`,
    `<div id="app"><noscript>The console needs JavaScript; the esc CLI does everything without it.</noscript></div>`,
  )
}
