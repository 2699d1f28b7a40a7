#!/bin/sh
# Issue 17, finding 20: the documented recipe for a web sales role
# (assets/doc/api.md, "A role for web sales") is run as written (with this
# run's names) and must work with least privilege: the server's login,
# switched to the role as the API does for a token (SET ROLE), books
# through sl_book, and cannot change a table or the audit trail directly.
. "$(dirname "$0")/testlib"
. "$(dirname "$0")/roles.lib"

doc=$(dirname "$0")/../../assets/doc/api.md
web=slw_web_$$
srv=slw_srv_$$
trap 'psql -X -q -c "DROP OWNED BY $web" -c "DROP ROLE IF EXISTS $srv" \
    -c "DROP ROLE IF EXISTS $web" >/dev/null 2>&1; rm -rf "$tmp"' EXIT

# The first sql block after the sentence that introduces the recipe.
sed -n '/^A role for web sales/,/^```$/p' "$doc" |
    sed -n '/^```sql$/,/^```$/p' | sed '1d;$d' |
    sed "s/seatlock_web/$web/g; s/seatlock_server/$srv/g" >"$tmp/recipe.sql"
check "the recipe is in the documentation" [ -s "$tmp/recipe.sql" ]
sql "CREATE ROLE $srv LOGIN" >/dev/null
check "the recipe runs as written (as a superuser)" \
    psql -X -q -v ON_ERROR_STOP=1 -f "$tmp/recipe.sql"

venue=$(new_venue 1 4)
show=$(new_show "$venue")
# A token books only in its own customers' names (finding 1): the web
# role registers its customer.
user=$(PGUSER=$srv psql -X -Atq -v ON_ERROR_STOP=1 -c "SET ROLE $web" \
    -c "SELECT sl_user_add('Web Customer', 'slw-$uniq@example.com', NULL)")
check "a show and a customer" is_id "$user"
book="SET ROLE $web; SELECT count(*) FROM sl_book($show, ARRAY['A1'], $user,
    'slw-$uniq', 'web')"
r=$(as "$srv" "$book")
check "the web role books through sl_book ($r)" [ "$r" = ok ]
check "... and the seat is sold" [ "$(sql "SELECT count(*) FROM booking
    WHERE show_id = $show AND status = 'active'")" = 1 ]
r=$(as "$srv" "SET ROLE $web; UPDATE booking SET status = 'cancelled'
    WHERE show_id = $show")
check "it cannot UPDATE booking directly ($r)" [ "$r" = 42501 ]
r=$(as "$srv" "SET ROLE $web; INSERT INTO audit_log (action) VALUES ('x')")
check "it cannot write the audit trail directly ($r)" [ "$r" = 42501 ]
r=$(as "$srv" "SET ROLE $web; DELETE FROM booking_request")
check "it cannot DELETE a sale ($r)" [ "$r" = 42501 ]
r=$(as "$srv" "SET ROLE $web; SELECT * FROM sl_show_set_window($show, NULL, NULL)")
case $r in
42501 | SL403) ok "it cannot call a supervisor's function ($r)" ;;
*) not_ok "a supervisor's function: $r, want 42501 or SL403" ;;
esac
done_testing
