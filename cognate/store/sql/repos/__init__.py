"""One module of explicit queries per entity (style principle 13: no generic repository hiding the SQL)."""
