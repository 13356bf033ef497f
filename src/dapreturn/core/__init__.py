"""The core of dapreturn: everything that is not drawing on a screen.

Plans and returns (pydantic models), reporting periods, TOML reading and writing, signing and
trust, safe storage, collection analysis and report builders. Nothing here imports Textual; a
test enforces that.
"""
