"""Evaluation of generative AI: a Schwartz value compass scored with its reliability, and
safety/ethics suites, run as Inspect tasks (``gaio[genai]``).

The item bank, the statistics and the compass are pure and need no extra; only running a model
(:mod:`gaio.evaluation.genai.tasks`, :mod:`gaio.evaluation.genai.runner`) imports Inspect.
"""
