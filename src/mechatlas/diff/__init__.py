"""``mechatlas diff REV``: what a change means to readers, not which YAML lines moved.

``revision`` materialises the atlas at a git revision, ``entries`` compares entries field
by field, ``summaries`` compares what the site derives from them (headlines, matrix marks,
conflicts, pages), ``compare`` puts both sides together and ``report`` writes Markdown.
"""
