"""Sunshine: validated open data in, a public disclosure site and open datasets out."""

__version__ = "0.1.0"
