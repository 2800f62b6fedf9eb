"""Users and roles (Django groups named after the ``roles`` vocabulary)."""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from dhakira.schema import ids


def add_user(username: str, role: str, *, password: str | None = None) -> str:
    """Create or update a user with exactly one role; returns the password set."""
    if role not in ids("roles"):
        raise ValueError(f"unknown role {role!r}; choose one of {sorted(ids('roles'))}")
    password = password or secrets.token_urlsafe(12)
    user, _ = get_user_model().objects.get_or_create(username=username)
    user.set_password(password)
    user.is_staff = role == "admin"
    user.save()
    user.groups.set([Group.objects.get_or_create(name=role)[0]])
    return password
