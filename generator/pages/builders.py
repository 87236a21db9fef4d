"""Import every page-kind module, in the order their pages are built."""

from generator.pages import (  # noqa: F401
    announcements,
    home,
    programs,
    projects,
    regions,
    sources,
    years,
)
