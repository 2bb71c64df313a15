"""Exporters: turn the store's documents into files other tools read."""
