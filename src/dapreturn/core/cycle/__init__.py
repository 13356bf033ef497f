"""The quarterly cycle both ways: call-for-returns packs, officers' signed decisions and feedback,
the group's keys pinned by partners."""
