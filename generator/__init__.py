"""Passend onderwijs in cijfers: a static site generator for open data on passend onderwijs."""
