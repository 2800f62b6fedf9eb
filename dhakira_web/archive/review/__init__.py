"""Review and grading by people: review states, claim decisions and corrections, re-extraction that
keeps them, Admiralty grades and the history of every change. Visibility stays in ``archive.policy``.
"""
