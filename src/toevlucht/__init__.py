"""Toevlucht."""
