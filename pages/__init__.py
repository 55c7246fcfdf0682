"""Page objects: one class per documented screen or dialog, by vendor.

Locators are built once, by role and the labels the vendors document; methods
are what a person does on the screen. Page objects never print, read the
environment or decide whether a run succeeded.
"""
