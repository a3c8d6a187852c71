"""The web archive: Starlette + Jinja2 + Babel (DESIGN.md section 7)."""
