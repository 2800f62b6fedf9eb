"""Clean text in the archive: site templates learned from stored pages, and re-cleaning of records
from their untouched originals (``dhakira reclean``)."""
