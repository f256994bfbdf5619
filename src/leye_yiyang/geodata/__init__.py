"""Checking a district's geography folder (`leye-yiyang geo check DIR`)."""
