// SPDX-License-Identifier: GPL-2.0
/*
 * trunkline - the SIP-to-PSTN media gateway daemon.
 *
 *   trunkline [-c FILE] [-f]     run (foreground with -f, logging to stderr;
 *                                 else a daemon logging to syslog)
 *   trunkline -t [-c FILE]       check the configuration, exit 0 or 1
 *
 * SIGTERM and SIGINT stop it cleanly; SIGHUP reloads the configuration.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#define LOG_TAG "main"
#include "base/log.h"
#include "base/loop.h"
#include "base/mem.h"
#include "core/app.h"
#include "core/core.h"
#include "ctl/ctl.h"

#define DEFAULT_CONF "/etc/trunkline/trunkline.conf"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: trunkline [-c FILE] [-f] [-d]\n"
		"       trunkline -t [-c FILE]\n"
		"  -c FILE  configuration file (default " DEFAULT_CONF ")\n"
		"  -f       stay in the foreground, log to stderr\n"
		"  -d       debug logging (overrides log_level)\n"
		"  -t       check the configuration and exit (0 = good)\n"
		"  -V       print the version\n");
}

static void print_err(const char *msg, void *arg)
{
	(void)arg;
	fprintf(stderr, "trunkline: %s\n", msg);
}

static void on_signal(int fd, uint32_t events, void *arg)
{
	struct app *app = arg;
	struct signalfd_siginfo si;

	(void)events;
	while (read(fd, &si, sizeof(si)) == sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGHUP:
			app_reload(app, NULL);
			break;
		case SIGTERM:
		case SIGINT:
			LOGN("signal %d: stopping", (int)si.ssi_signo);
			loop_stop(app->loop);
			break;
		}
	}
}

static int daemonize(void)
{
	pid_t pid = fork();
	int fd;

	if (pid < 0)
		return -errno;
	if (pid > 0)
		_exit(0);
	if (setsid() < 0)
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid > 0)
		_exit(0);
	if (chdir("/"))
		return -errno;
	fd = open("/dev/null", O_RDWR);
	if (fd < 0)
		return -errno;
	dup2(fd, STDIN_FILENO);
	dup2(fd, STDOUT_FILENO);
	dup2(fd, STDERR_FILENO);
	if (fd > STDERR_FILENO)
		close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	struct app app = { 0 };
	const char *argv_conf = DEFAULT_CONF;
	char *conf_path;
	bool test = false, debug = false;
	sigset_t set;
	int o, sfd = -1, err, rc = 1;

	while ((o = getopt(argc, argv, "c:fdtVh")) != -1) {
		switch (o) {
		case 'c':
			argv_conf = optarg;
			break;
		case 'f':
			app.foreground = true;
			break;
		case 'd':
			debug = true;
			break;
		case 't':
			test = true;
			break;
		case 'V':
			printf("trunkline %s\n", TRUNKLINE_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}

	/* the daemon leaves its working directory: reloads need a full path */
	conf_path = realpath(argv_conf, NULL);
	app.conf_path = conf_path;
	if (!conf_path) {
		fprintf(stderr, "trunkline: %s: %s\n", argv_conf,
			strerror(errno));
		return 1;
	}
	if (app_conf_load(app.conf_path, &app.conf, print_err, NULL)) {
		fprintf(stderr, "trunkline: %s: configuration rejected\n",
			app.conf_path);
		free(conf_path);
		return 1;
	}
	if (test) {
		printf("trunkline: %s: configuration OK\n", app.conf_path);
		mem_deref(app.conf);
		free(conf_path);
		return 0;
	}

	if (!app.foreground) {
		err = daemonize();
		if (err) {
			fprintf(stderr, "trunkline: daemonize: %s\n",
				strerror(-err));
			goto out;
		}
		log_open(LOG_SINK_SYSLOG, "trunkline");
	} else {
		log_open(LOG_SINK_STDERR, "trunkline");
	}
	if (debug)
		log_set_level(LOG_LVL_DEBUG);

	/* signals arrive through the loop, never asynchronously */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	app.loop = loop_new();
	app.ctl = app.loop ? ctl_new(app.loop) : NULL;
	if (!app.ctl) {
		LOGE("out of memory");
		goto out;
	}
	sfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (sfd < 0 || loop_fd_add(app.loop, sfd, EPOLLIN, on_signal, &app)) {
		LOGE("signalfd: %s", strerror(errno));
		goto out;
	}
	app.started = time(NULL);
	app.started_ms = loop_now_ms();
	if (app_start(&app))
		goto out;
	if (debug)
		log_set_level(LOG_LVL_DEBUG);
	LOGN("trunkline %s running, config %s, pid %d", TRUNKLINE_VERSION,
	     app.conf_path, (int)getpid());

	err = loop_run(app.loop);
	if (err)
		LOGE("event loop: %s", strerror(-err));
	app_stop(&app);
	rc = err ? 1 : 0;
	LOGN("stopped");
out:
	if (sfd >= 0) {
		if (app.loop)
			loop_fd_del(app.loop, sfd);
		close(sfd);
	}
	mem_deref(app.ctl);
	mem_deref(app.loop);
	mem_deref(app.conf);
	log_close();
	free(conf_path);
	return rc;
}
