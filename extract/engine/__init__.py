"""The extraction engine: one reader for the documents of any publisher (see ``reader.read_document``).

``normalize`` (PDF-dump text → cells) · ``vocabulary`` (the label vocabulary, ``vocabulary.yaml``) ·
``kinds`` (which kind of document, from evidence) · ``names``, ``money``, ``years``, ``indicators``
(the recognisers) · ``reader`` (facts → a ``DocumentRecord``).
"""
