"""Case and accent folding done by PostgreSQL with built-ins only.

`unaccent` and `pg_trgm` are contrib extensions that the embedded server lacks, so folding is an
IMMUTABLE SQL function over `lower()` and `translate()` with a fixed accent map: immutable, it can
feed STORED generated columns and expression indexes, and queries fold user input with the very
same function. The map is one character to one character (`translate`'s rule), upper and lower
case both, because `lower()` leaves non-ASCII letters alone under the C locale.
"""

from __future__ import annotations

ACCENTED = (
    "àÀáÁâÂãÃäÄåÅāĀăĂąĄçÇćĆĉĈċĊčČďĎđĐèÈéÉêÊëËēĒĕĔėĖęĘěĚĝĜğĞġĠģĢĥĤħĦìÌíÍîÎïÏĩĨīĪĭĬįĮıİĵĴķĶĺĹļĻľĽŀĿłŁ"
    "ñÑńŃņŅňŇòÒóÓôÔõÕöÖøØōŌŏŎőŐŕŔŗŖřŘśŚŝŜşŞšŠșȘţŢťŤŧŦțȚùÙúÚûÛüÜũŨūŪŭŬůŮűŰųŲŵŴýÝÿŸŷŶźŹżŻžŽ"
)
PLAIN = (
    "aaaaaaaaaaaaaaaaaaccccccccccddddeeeeeeeeeeeeeeeeeegggggggghhhhiiiiiiiiiiiiiiiiiijjkkllllllllll"
    "nnnnnnnnoooooooooooooooooorrrrrrssssssssssttttttttuuuuuuuuuuuuuuuuuuuuwwyyyyyyzzzzzz"
)
assert len(ACCENTED) == len(PLAIN)

FOLD_FUNCTION = "nexus_fold"

# A plain SQL body (not BEGIN ATOMIC) so the planner inlines it, in queries and in indexes alike.
CREATE_FOLD_FUNCTION = f"""
CREATE FUNCTION {FOLD_FUNCTION}(value text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT translate(lower(value), '{ACCENTED}', '{PLAIN}') $$
"""
DROP_FOLD_FUNCTION = f"DROP FUNCTION {FOLD_FUNCTION}(text)"

# The ranked search document: title (A), original title (B), overview (C), all folded.
SEARCH_VECTOR_SQL = (
    "setweight(to_tsvector('simple', nexus_fold(title)), 'A') || "
    "setweight(to_tsvector('simple', nexus_fold(original_title)), 'B') || "
    "setweight(to_tsvector('simple', nexus_fold(overview)), 'C')"
)
TITLE_FOLDED_SQL = "nexus_fold(title)"
