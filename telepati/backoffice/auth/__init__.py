"""Signing in to the back-office: password (argon2, django-axes lock-out), the second factor
(django-otp TOTP and backup codes), session timeouts, and the admin site's two-factor rule.
"""
