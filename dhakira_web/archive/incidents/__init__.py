"""Incidents as a reader may see them: facts, words and the incident page, from visible reports only.

Call :func:`incident_view` for one incident (``payloads.incident_payload`` does, with the policy's
``visible_reports``), :func:`visible_facts` for many (the chronicle and the map do).
"""

from __future__ import annotations

from dhakira_web.archive.incidents.facts import IncidentFacts, combine, facts_of, places_of, visible_facts
from dhakira_web.archive.incidents.view import incident_view
from dhakira_web.archive.incidents.words import date_words, figure_words, grade_words, headline

__all__ = ["IncidentFacts", "combine", "date_words", "facts_of", "figure_words", "grade_words", "headline",
           "incident_view", "places_of", "visible_facts"]
