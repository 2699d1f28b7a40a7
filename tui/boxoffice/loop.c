/*
 * loop.c - the box office loop: the screen table, terminal set-up and
 * restore, signals through a self-pipe, one poll() over the terminal, the
 * listener and the pipe; the keys every screen shares.
 */
#include <sys/ioctl.h>

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curses.h>

#include "sl_log.h"
#include "boxoffice/tui.h"

static const struct tui_screen *const tui_screens[TUI_NSCREENS] = {
	[TUI_SHOWS] = &tui_scr_shows,
	[TUI_MAP] = &tui_scr_map,
	[TUI_CUSTOMER] = &tui_scr_customer,
	[TUI_CONFIRM] = &tui_scr_confirm,
	[TUI_CANCEL] = &tui_scr_cancel,
	[TUI_HELP] = &tui_scr_help,
	[TUI_QUIT] = &tui_scr_quit,
	[TUI_REPORT] = &tui_scr_report,
	[TUI_EXCHANGE] = &tui_scr_exchange,
	[TUI_RESERVE] = &tui_scr_reserve,
	[TUI_RESV] = &tui_scr_resv,
	[TUI_PAY] = &tui_scr_pay,
	[TUI_SHIFT] = &tui_scr_shift,
};

/* The write ends of the self-pipe and of the interrupt pipe: the one thing
 * a signal handler touches. */
static volatile int tui_sigfd = -1;
static volatile int tui_intrfd = -1;

static void
tui_on_signal(int sig)
{
	unsigned char c = (unsigned char)sig;
	int saved = errno;

	if (tui_sigfd >= 0 && write(tui_sigfd, &c, 1) < 0) {
		/* Pipe full: a signal of that kind is pending anyway. */
	}
	/* Quitting signals also end any wait for the database at once
	 * (sl_db_set_interrupt): the loop may be inside a booking that
	 * waits for a lock, a reconnect or a dead network. */
	if ((sig == SIGTERM || sig == SIGHUP) && tui_intrfd >= 0 &&
	    write(tui_intrfd, &c, 1) < 0) {
		/* Full: readable already, which is all that counts. */
	}
	errno = saved;
}

static void
tui_draw(struct tui *t)
{
	int i, from;

	erase();
	t->cur_on = 0;
	if (!tui_too_small(t)) {
		/* From the topmost full screen up through the overlays. */
		for (from = t->depth - 1; from > 0 &&
		    t->screens[t->stack[from]]->overlay; from--)
			;
		for (i = from; i < t->depth; i++)
			t->screens[t->stack[i]]->draw(t);
	}
	if (t->cur_on) {
		move(t->cur_y, t->cur_x);
		curs_set(1);
	} else
		curs_set(0);
	wnoutrefresh(stdscr);
	doupdate();
}

/* SIGWINCH (from the pipe) asks the terminal its size; a KEY_RESIZE from
 * curses only takes what curses knows, since resizeterm() itself queues a
 * KEY_RESIZE and would go round forever. */
static void
tui_resize(struct tui *t, int ask)
{
	struct winsize ws;

	if (ask && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
	    ws.ws_row > 0 && ws.ws_col > 0 &&
	    (ws.ws_row != LINES || ws.ws_col != COLS))
		resizeterm(ws.ws_row, ws.ws_col);
	t->rows = LINES;
	t->cols = COLS;
	clearok(curscr, TRUE);
	tui_broadcast(t, TUI_EV_RESIZE);
}

/* ---- the keys every screen leaves to the loop ------------------------ */

static void
tui_redraw(struct tui *t)
{
	clearok(curscr, TRUE);
	t->dirty = 1;
}

static void
tui_quit_key(struct tui *t)
{
	tui_request_quit(t, 0);
}

static void
tui_help(struct tui *t)
{
	if (tui_top(t) != TUI_HELP)
		tui_push(t, TUI_HELP);
}

static const struct tui_binding tui_global_keys[] = {
	{ 0, 0x0c, tui_redraw },	/* ^L */
	{ 1, KEY_F(10), tui_quit_key },
	{ 0, '?', tui_help },		{ 1, KEY_F(1), tui_help },
	{ 1, KEY_F(3), tui_shift_key },	/* the shift: X report, open, close */
	{ 1, KEY_F(4), tui_pay_ask },	/* pay a sale by its number */
	{ 0, 0, NULL }
};

static void
tui_key(struct tui *t, const struct tui_key *k)
{
	int r;

	if (tui_key_fn(k, KEY_RESIZE)) {
		tui_resize(t, 0);
		return;
	}
	if (t->cols < TUI_MIN_COLS || t->rows < TUI_MIN_ROWS) {
		/* Only quitting makes sense on the notice. */
		if (tui_key_is(k, 'q') || tui_key_fn(k, KEY_F(10)))
			tui_request_quit(t, 0);
		if (tui_key_is(k, 0x0c))
			clearok(curscr, TRUE);
		t->dirty = 1;
		return;
	}
	r = t->screens[tui_top(t)]->key(t, k);
	if (r & TUI_DIRTY)
		t->dirty = 1;
	if (r & TUI_UNHANDLED)
		tui_bindings_run(t, tui_global_keys, k);
}

static void
tui_read_keys(struct tui *t)
{
	struct tui_key k;
	wint_t ch;
	int r, n;

	/* Bounded: a paste of a thousand characters still lets the loop
	 * draw and hear the listener. */
	for (n = 0; n < 256 && !t->quit; n++) {
		r = get_wch(&ch);
		if (r == ERR)
			return;
		k.fn = r == KEY_CODE_YES;
		k.ch = ch;
		tui_key(t, &k);
	}
}

static void
tui_signals(struct tui *t, int fd)
{
	unsigned char buf[32];
	ssize_t n, i;

	while ((n = read(fd, buf, sizeof buf)) > 0) {
		for (i = 0; i < n; i++) {
			switch (buf[i]) {
			case SIGWINCH:
				tui_resize(t, 1);
				break;
			case SIGINT:
				tui_request_quit(t, 0);
				break;
			case SIGHUP:
			case SIGTERM:
			default:
				sl_log(t->cfg->log, "signal %d: exiting",
				    buf[i]);
				t->quit = 1;
				break;
			}
		}
	}
}

/* Milliseconds to the nearest timer, or -1. */
static int
tui_timeout(struct tui *t)
{
	int64_t now = sl_db_now(), next = -1;
	int nt;

	if (t->msg[0] != '\0')
		next = t->msg_until;
	if (t->mv.jump[0] != '\0' && (next < 0 || t->mv.jump_until < next))
		next = t->mv.jump_until;
	if (t->reload && t->show != NULL && t->conn == SL_NOTIFY_UP &&
	    (next < 0 || t->reload_at < next))
		next = t->reload_at;
	if (t->hold_id != 0) {
		/* The countdown's next second, or the expiry itself. */
		int64_t rem = t->hold_until - now, at;

		at = rem <= 0 ? now : now + (rem % 1000 == 0 ? 1000 :
		    rem % 1000);
		if (next < 0 || at < next)
			next = at;
	}
	if (t->show != NULL && (next < 0 || t->beat_at < next))
		next = t->beat_at;
	nt = sl_notify_timeout(t->nf);
	if (nt >= 0 && (next < 0 || now + nt < next))
		next = now + nt;
	if (next < 0)
		return -1;
	return next <= now ? 0 : next - now > 600000 ? 600000 :
	    (int)(next - now);
}

static void
tui_timers(struct tui *t)
{
	int64_t now = sl_db_now();

	if (t->msg[0] != '\0' && now >= t->msg_until) {
		t->msg[0] = '\0';
		t->dirty = 1;
	}
	if (t->mv.jump[0] != '\0' && now >= t->mv.jump_until) {
		t->mv.jump[0] = '\0';
		t->dirty = 1;
	}
	if (t->hold_id != 0) {
		t->dirty = 1;	/* the countdown */
		if (now >= t->hold_until)
			tui_hold_expired(t);
	}
}

static void
tui_loop(struct tui *t, int sigfd)
{
	struct pollfd pfd[3];
	int nfd, r, nffd;

	while (!t->quit) {
		if (t->dirty) {
			tui_draw(t);
			t->dirty = 0;
		}
		/* An action runs after the screen says "Booking..." */
		if (t->action != TUI_ACT_NONE) {
			enum tui_action a = t->action;

			t->action = TUI_ACT_NONE;
			tui_sale_run(t, a);
			t->dirty = 1;
			continue;
		}
		if (t->later != NULL) {
			void (*later)(struct tui *) = t->later;

			t->later = NULL;
			later(t);
			t->dirty = 1;
			continue;
		}
		pfd[0].fd = STDIN_FILENO;
		pfd[0].events = POLLIN;
		pfd[1].fd = sigfd;
		pfd[1].events = POLLIN;
		nfd = 2;
		nffd = sl_notify_fd(t->nf);
		if (nffd >= 0) {
			pfd[2].fd = nffd;
			pfd[2].events = sl_notify_events(t->nf);
			nfd = 3;
		}
		pfd[0].revents = pfd[1].revents = pfd[2].revents = 0;
		r = poll(pfd, (nfds_t)nfd, tui_timeout(t));
		if (r < 0 && errno != EINTR) {
			sl_log(t->cfg->log, "poll: %s", strerror(errno));
			break;
		}
		if (r < 0)
			continue;
		if (pfd[1].revents & POLLIN)
			tui_signals(t, sigfd);
		if (t->quit)
			break;
		/* Before any key: a hung-up terminal also says POLLIN (and
		 * reads nothing), which would otherwise spin this loop. */
		if (pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL)) {
			sl_log(t->cfg->log, "terminal gone: exiting");
			t->quit = 1;
			break;
		}
		sl_notify_handle(t->nf, nfd == 3 ? pfd[2].revents : 0);
		tui_beat(t);
		tui_live(t);
		if (pfd[0].revents & POLLIN)
			tui_read_keys(t);
		tui_timers(t);
	}
}

static int
tui_utf8_locale(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs != NULL && (strcmp(cs, "UTF-8") == 0 ||
	    strcmp(cs, "utf8") == 0);
}

/* Opens the log, the booking connection and (if its login may) a
 * notifier candidate.  -1 when done, else the exit code. */
static int
tui_connect(struct tui *t, struct sl_config *cfg)
{
	struct sl_err e;

	sl_err_clear(&e);
	if (sl_log_open(cfg->log_file, &cfg->log, &e) != SL_OK)
		fprintf(stderr, "seatlock: %s (continuing without a log)\n",
		    e.msg);
	sl_log(t->cfg->log, "box office starting (seatlock %s)", SL_VERSION);
	if (sl_db_connect(cfg, &t->db, &e) != SL_OK) {
		fprintf(stderr, "seatlock: %s\n", e.msg);
		sl_log(t->cfg->log, "cannot connect: %s", e.msg);
		sl_log_close(cfg->log);
		cfg->log = NULL;
		return sl_rc_exit_code(e.rc);
	}
	/* Push needs a notifier: a box office whose login may is a
	 * candidate (plain clerks rely on `seatlock notifier`). */
	if (sl_notifier_auto(cfg, t->db, &t->notifier, &e) != SL_OK) {
		fprintf(stderr, "seatlock: cannot start the notifier: %s\n",
		    e.msg);
		sl_log(t->cfg->log, "cannot start the notifier: %s", e.msg);
		sl_db_close(t->db);
		sl_log_close(cfg->log);
		cfg->log = NULL;
		return sl_rc_exit_code(e.rc);
	}
	if (t->notifier != NULL)
		sl_log(t->cfg->log,
		    "batched push: this box office may send the "
		    "notifications (one does)");
	return -1;
}

/* Signals become bytes in the self-pipe pfd; quitting ones also end any
 * wait for the database (the interrupt pipe ifd). */
static void
tui_signals_install(struct tui *t, int pfd[2], int ifd[2])
{
	struct sigaction sa;

	fcntl(pfd[0], F_SETFL, O_NONBLOCK);
	fcntl(pfd[1], F_SETFL, O_NONBLOCK);
	fcntl(pfd[0], F_SETFD, FD_CLOEXEC);
	fcntl(pfd[1], F_SETFD, FD_CLOEXEC);
	fcntl(ifd[1], F_SETFL, O_NONBLOCK);
	fcntl(ifd[0], F_SETFD, FD_CLOEXEC);
	fcntl(ifd[1], F_SETFD, FD_CLOEXEC);
	tui_sigfd = pfd[1];
	/* Never drained: once a quitting signal came, every later wait for
	 * the database gives up at once too. */
	tui_intrfd = ifd[1];
	sl_db_set_interrupt(t->db, ifd[0]);
	/* Installed before curses starts, so curses keeps its hands off
	 * them: signals become bytes in the pipe, handled by the loop. */
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = tui_on_signal;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGWINCH, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

/* Puts stderr back where it was (saved by tui_curses_start). */
static void
tui_stderr_restore(int *saved_err)
{
	if (*saved_err >= 0) {
		dup2(*saved_err, STDERR_FILENO);
		close(*saved_err);
		*saved_err = -1;
	}
}

/* Starts curses, stderr sent to the log meanwhile; NULL (and a message)
 * if the terminal cannot be used. */
static SCREEN *
tui_curses_start(struct tui *t, struct sl_config *cfg, int *saved_err)
{
	const char *nc = getenv("NO_COLOR");
	SCREEN *scr;
	int quiet;

	/* Nothing but curses may write to the terminal: stderr goes to the
	 * log (or nowhere) while the screen is up. */
	fflush(stderr);
	*saved_err = dup(STDERR_FILENO);
	quiet = open(cfg->log_file[0] != '\0' ? cfg->log_file : "/dev/null",
	    O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW);
	if (quiet < 0)
		quiet = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (quiet >= 0) {
		dup2(quiet, STDERR_FILENO);
		close(quiet);
	}
	scr = newterm(NULL, stdout, stdin);
	if (scr == NULL) {
		tui_stderr_restore(saved_err);
		fprintf(stderr, "seatlock: cannot use this terminal (TERM=%s)\n",
		    getenv("TERM") != NULL ? getenv("TERM") : "");
		return NULL;
	}
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(50);
	t->color = has_colors() && (nc == NULL || *nc == '\0');
	t->mouse = mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED, NULL) != 0;
	mouseinterval(0);
	t->rows = LINES;
	t->cols = COLS;
	tui_draw_init(t);
	sl_log(t->cfg->log, "terminal %s, %dx%d, %s, %s",
	    getenv("TERM") != NULL ? getenv("TERM") : "?", t->cols, t->rows,
	    t->utf8 ? "UTF-8" : "ASCII", t->color ? "colour" : "no colour");
	return scr;
}

/* Every way out of the box office comes through here. */
static void
tui_finish(struct tui *t, SCREEN *scr, int *saved_err, int pfd[2],
    int ifd[2])
{
	if (scr != NULL) {
		erase();
		refresh();
		endwin();
		delscreen(scr);
	}
	tui_stderr_restore(saved_err);
	tui_sigfd = -1;
	tui_intrfd = -1;
	if (pfd[0] >= 0) {
		close(pfd[0]);
		close(pfd[1]);
	}
	tui_close_show(t);
	free(t->shows.vis);
	sl_show_list_free(t->shows.v, t->shows.n);
	sl_customer_list_free(t->cust.v, t->cust.n);
	sl_report_free(t->report);
	json_decref(t->report_days);
	tui_find_free(&t->cancel.f);
	tui_find_free(&t->exch.f);
	tui_priced_free(&t->exch.np);
	tui_priced_free(&t->resv.np);
	sl_reservation_free(t->resv.v, t->resv.n);
	tui_sale_end(t);
	json_decref(t->shift.doc);
	/* Both connections end here, telling the server: their backends go
	 * with them. */
	sl_notify_free(t->nf);
	sl_notifier_close(t->notifier);
	sl_db_close(t->db);
	if (ifd[0] >= 0) {
		close(ifd[0]);
		close(ifd[1]);
	}
	sl_log(t->cfg->log, "box office closed");
	sl_log_close(t->cfg->log);
	t->cfg->log = NULL;
}

int
tui_run(struct sl_config *cfg, int64_t show)
{
	struct tui t;
	struct sl_err e;
	SCREEN *scr = NULL;
	int pfd[2] = { -1, -1 }, ifd[2] = { -1, -1 }, saved_err = -1;
	int code = 0;

	memset(&t, 0, sizeof t);
	t.cfg = cfg;
	t.screens = tui_screens;
	if ((code = tui_connect(&t, cfg)) >= 0)
		return code;
	code = 0;
	sl_err_clear(&e);
	if (sl_notify_new(cfg, &t.nf, &e) != SL_OK ||
	    pipe(pfd) != 0 || pipe(ifd) != 0) {
		fprintf(stderr, "seatlock: cannot start: %s\n",
		    e.msg[0] ? e.msg : strerror(errno));
		code = 1;
		goto out;
	}
	tui_signals_install(&t, pfd, ifd);
	t.utf8 = tui_utf8_locale();
	sl_db_request_key(t.key, sizeof t.key);
	if ((scr = tui_curses_start(&t, cfg, &saved_err)) == NULL) {
		code = 1;
		goto out;
	}
	t.shift_id = -1;
	tui_shift_check(&t);
	tui_push(&t, TUI_SHOWS);
	if (show > 0)
		tui_open_show(&t, show);
	t.dirty = 1;
	tui_loop(&t, pfd[0]);
out:
	tui_finish(&t, scr, &saved_err, pfd, ifd);
	return code;
}
