"""Detection: the engine (``engine.DetectionEngine``), recognizers (``recognizers/``, one per module), the
marking-vs-mention judgement (``markings``, ``context``, ``cues``, ``docshape``), bounded regexes (``bounded``)
and category aggregation (``categories``). Importing this package has no side effects; presidio is imported
when an engine is built.
"""
