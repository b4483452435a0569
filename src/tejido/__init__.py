"""Tejido."""
