# SeatLock - see README.md.  `make run` and `make test` do all the set-up.

CC		?= cc
PKG_CONFIG	?= pkg-config
PKGS		:= ncursesw libpq libconfig libmicrohttpd jansson sqlite3 pangocairo cairo-pdf \
		   libqrencode
# libcups (Debian's libcups2-dev) has no pkg-config file: cups-config.
CUPS_CONFIG	?= cups-config
VERSION		:= $(shell git describe --tags --always --dirty 2>/dev/null || echo 0.1)

WARN	:= -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	   -Wformat=2 -Wcast-qual -Wwrite-strings -Werror
CFLAGS	?= -O2 -g
SL_CFLAGS := -std=c11 -D_DEFAULT_SOURCE -pthread $(WARN) \
	     -Icore -Itui -Ibuild/gen -DSL_VERSION='"$(VERSION)"' \
	     $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null) \
	     $(shell $(CUPS_CONFIG) --cflags 2>/dev/null)
SL_LIBS	:= $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) \
	   $(shell $(CUPS_CONFIG) --libs 2>/dev/null) -pthread

# Variant builds: `make asan` puts its objects in build/asan.
V	?= release
OBJDIR	:= build/$(V)

CORE_SRC := $(wildcard core/*.c)
# The programs: tui/main.c and one folder a program (cli, boxoffice, serve,
# bench).
TUI_SRC	 := $(sort $(wildcard tui/*.c tui/*/*.c))
CORE_OBJ := $(CORE_SRC:%.c=$(OBJDIR)/%.o) $(OBJDIR)/gen/sl_embedded.o
TUI_OBJ	 := $(TUI_SRC:%.c=$(OBJDIR)/%.o)
MIGRATIONS := $(sort $(wildcard sql/migrations/[0-9][0-9][0-9][0-9]_*.sql))
SQL_FUNCTIONS := $(sort $(wildcard sql/functions/*.sql))
DEMO	 := $(sort $(wildcard assets/demo/*))
API_DOC	 := assets/openapi.json

.PHONY: all asan run test unit clean install uninstall deps deps-test deps-bench db-up db-down bench ledger fuzz \
	seatlock-asan test-asan valgrind

all: seatlock

seatlock: $(CORE_OBJ) $(TUI_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(SL_LIBS)

ASAN_CFLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
ASAN_LDFLAGS := -fsanitize=address,undefined

# Phony: the sub-make decides what is out of date in build/asan.
seatlock-asan:
	$(MAKE) V=asan CFLAGS='$(ASAN_CFLAGS)' LDFLAGS='$(ASAN_LDFLAGS)' build/asan/seatlock
	cp build/asan/seatlock $@

asan: seatlock-asan

build/asan/seatlock: $(CORE_OBJ) $(TUI_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(SL_LIBS)

$(OBJDIR)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SL_CFLAGS) -MMD -MP -c -o $@ $<

build/gen/sl_embedded.c: core/embed.awk $(MIGRATIONS) $(SQL_FUNCTIONS) $(DEMO) $(API_DOC)
	@mkdir -p $(dir $@)
	{ echo '#include "sl_embedded.h"'; \
	  awk -v array=sl_embedded_migrations -f core/embed.awk $(MIGRATIONS); \
	  awk -v array=sl_embedded_functions -f core/embed.awk $(SQL_FUNCTIONS); \
	  awk -v array=sl_embedded_demo -f core/embed.awk $(DEMO); \
	  awk -v array=sl_embedded_api -f core/embed.awk $(API_DOC); } > $@.tmp
	mv $@.tmp $@

$(OBJDIR)/gen/sl_embedded.o: build/gen/sl_embedded.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SL_CFLAGS) -c -o $@ $<

-include $(CORE_OBJ:.o=.d) $(TUI_OBJ:.o=.d)

# ---- tests ---------------------------------------------------------------

TEST_LIBS := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)
UNIT_SRC  := $(wildcard tests/unit/unit_*.c)
INTEG_SRC := $(wildcard tests/integ/integ_*.c)
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(OBJDIR)/tests/%)
INTEG_BIN := $(INTEG_SRC:tests/integ/%.c=$(OBJDIR)/tests/%)
LIBCORE   := $(OBJDIR)/libseatlock.a

$(LIBCORE): $(CORE_OBJ)
	rm -f $@
	ar rcs $@ $^

$(OBJDIR)/tests/%: tests/unit/%.c $(LIBCORE)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SL_CFLAGS) -Itests -o $@ $< $(LIBCORE) $(SL_LIBS) $(TEST_LIBS)

# The load generator's program part (tui/bench, no main): unit_bench
# links what it tests from it.
BENCH_OBJ := $(filter $(OBJDIR)/tui/bench/%,$(TUI_OBJ))
LIBBENCH  := $(OBJDIR)/libbench.a

$(LIBBENCH): $(BENCH_OBJ)
	rm -f $@
	ar rcs $@ $^

$(OBJDIR)/tests/unit_bench: tests/unit/unit_bench.c $(LIBBENCH) $(LIBCORE)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SL_CFLAGS) -Itests -o $@ $< $(LIBBENCH) $(LIBCORE) $(SL_LIBS) $(TEST_LIBS)

$(OBJDIR)/tests/%: tests/integ/%.c tests/integ/testdb.h $(LIBCORE)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SL_CFLAGS) -Itests -o $@ $< $(LIBCORE) $(SL_LIBS) $(TEST_LIBS)

test-bins: seatlock $(UNIT_BIN) $(INTEG_BIN)

# Installs what is missing (as root) or says what to install, builds, and
# runs every test against a private PostgreSQL cluster that it stops again.
test: deps-test
	$(MAKE) test-bins
	tests/run.sh

# The ledger test with faults, long: LEDGER_SECONDS=300 by default.
LEDGER_SECONDS ?= 300
ledger: deps-test
	$(MAKE) $(OBJDIR)/tests/integ_ledger seatlock
	tests/ledger.sh $(LEDGER_SECONDS)

# The libFuzzer harnesses, long: FUZZ_SECONDS=600 each by default.
FUZZ_SECONDS ?= 600
fuzz: deps-test
	tests/fuzz/run.sh $(FUZZ_SECONDS)

# The whole suite on the ASan/UBSan build: the binary and every test
# program.  Leaks are errors, except libconfig 1.5's on syntax errors and
# fontconfig's caches (tests/lsan.supp).
test-asan: deps-test seatlock-asan
	$(MAKE) V=asan CFLAGS='$(ASAN_CFLAGS)' LDFLAGS='$(ASAN_LDFLAGS)' \
	    $(UNIT_SRC:tests/unit/%.c=build/asan/tests/%) \
	    $(INTEG_SRC:tests/integ/%.c=build/asan/tests/%)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
	    V=asan SEATLOCK_BIN=$(CURDIR)/seatlock-asan tests/run.sh

# The unit tests under valgrind: any error or leak fails (libconfig 1.5's
# leaks on syntax errors are suppressed by library).
valgrind: deps-test
	$(MAKE) $(UNIT_BIN)
	@for t in $(UNIT_BIN); do echo "== valgrind $$t"; \
	    valgrind -q --leak-check=full --error-exitcode=1 \
	    --suppressions=tests/valgrind.supp $$t >/dev/null || exit 1; done

# Unit tests alone: no database, no terminal.
unit: deps-test
	$(MAKE) $(UNIT_BIN)
	@for t in $(UNIT_BIN); do echo "== $$t"; $$t || exit 1; done

# SeatLock against the yardsticks of ../shared/anchors (ANCHORS), side by
# side, on a private cluster of its own ("bench"); writes
# tests/bench/results.md (about 4 minutes on 2 cores).
bench: deps-bench
	$(MAKE) seatlock
	tests/bench/run.sh

# ---- running --------------------------------------------------------------

deps:
	@.ci/deps.sh run

deps-test:
	@.ci/deps.sh test

deps-bench:
	@.ci/deps.sh bench

run: deps
	$(MAKE) seatlock
	.ci/run-local.sh

db-up:
	@.ci/pgcluster.sh start run

db-down:
	@.ci/pgcluster.sh stop run

# ---- installing -----------------------------------------------------------

PREFIX	?= /usr/local
DESTDIR	?=

install: seatlock
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	    $(DESTDIR)$(PREFIX)/share/doc/seatlock
	install -m 0755 seatlock $(DESTDIR)$(PREFIX)/bin/seatlock
	install -m 0644 assets/man/seatlock.1 $(DESTDIR)$(PREFIX)/share/man/man1/seatlock.1
	install -m 0644 seatlock.conf.example README.md $(DESTDIR)$(PREFIX)/share/doc/seatlock/
	install -m 0644 assets/doc/*.md $(DESTDIR)$(PREFIX)/share/doc/seatlock/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/seatlock $(DESTDIR)$(PREFIX)/share/man/man1/seatlock.1
	rm -rf $(DESTDIR)$(PREFIX)/share/doc/seatlock

clean:
	rm -rf build seatlock seatlock-asan
