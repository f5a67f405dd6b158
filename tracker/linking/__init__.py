"""Entity linking: articles → actors (and records), stories, review decisions, actor dedupe.

Other areas call `tracker.linking.api` (`link_articles`, `relink_all`); the rest of the
package is the machinery behind it.
"""
