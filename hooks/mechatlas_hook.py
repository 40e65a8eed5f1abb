"""MkDocs hooks: glue only. The work is done by the installed ``mechatlas`` package."""

from mkdocs.plugins import event_priority

from mechatlas.site import mkdocs_glue


@event_priority(100)  # before static-i18n (-100) reads docs_dir and the files in it
def on_config(config):
    return mkdocs_glue.on_config(config)


def on_serve(server, config, builder):
    return mkdocs_glue.on_serve(server, config, builder)


def on_page_context(context, page, config, nav):
    return mkdocs_glue.on_page_context(context, page, config, nav)


def on_post_page(output, page, config):
    return mkdocs_glue.on_post_page(output, page, config)


def on_post_template(output_content, template_name, config):
    return mkdocs_glue.on_post_template(output_content, template_name, config)


@event_priority(-200)  # after static-i18n (-100) has built every language and search has written
def on_post_build(config):
    mkdocs_glue.on_post_build(config)
