"""Helpers shared by every app: no app imports another app's helpers."""
