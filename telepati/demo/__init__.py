"""Seeding: the reference data every deployment starts with, and demo data for development.

This app sits at the top of the import graph (it calls each app's seeding services) and
owns no models. Commands: `manage.py seed_reference` and `manage.py seed_demo`.
"""
