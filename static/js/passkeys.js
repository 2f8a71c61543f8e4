// The sign-in security page lists a new passkey once django-otp-webauthn has saved it.
document.addEventListener("otp_webauthn.register_complete", () => window.location.reload());
