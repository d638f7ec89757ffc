/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Call detail records: one per call, written when the call ends to a CSV
 * file (RFC 4180) and/or an SQLite database (the embedded default). Both
 * writers run on the event-loop thread; see cdr_sqlite.c for why an
 * insert stays short.
 */
#ifndef TL_CALL_CDR_H
#define TL_CALL_CDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/buf.h"
#include "../ctl/conf.h"

/* RTCP-reported quality of one direction of the media. */
struct call_cdr_rtcp {
	double loss_pct;  /* packets lost, percent */
	double jitter_ms; /* interarrival jitter */
};

struct call_cdr {
	char id[96];			      /* the call's id (SIP Call-ID) */
	uint64_t start_ms, answer_ms, end_ms; /* Unix ms; answer 0: never */
	char caller[64];	      /* calling number, after rewriting */
	char caller_name[128];	      /* display name, UTF-8 */
	char callee[64];	      /* called number, after rewriting */
	char route[64], target[64];   /* route name, target that took it */
	char ingress[64], egress[64]; /* "peer:pbx", "span:1"... */
	unsigned cause;		      /* Q.850 release cause */
	int sip_status;		      /* final SIP status; 0: none */
	char codec[32];		      /* "PCMA" */
	bool srtp;
	struct call_cdr_rtcp rx, tx; /* we received / the far end did */
	double mos;		     /* estimate; 0: no media measured */
	/* the engine that last forwarded the call undecoded, "relay" or
	 * "xdp"; "" if it was always decoded */
	char media[8];
	uint64_t relayed_pkts; /* packets forwarded undecoded */
};

/* Whole seconds from start to end, and from answer to end (billsec, 0 if
 * never answered). */
uint64_t call_cdr_duration(const struct call_cdr *r);
uint64_t call_cdr_billsec(const struct call_cdr *r);

/* --- MOS estimate: ITU-T G.107 E-model, simplified ---------------------- */

/*
 * Transmission rating R for @codec ("PCMA", "PCMU", "G729", "G723"; an
 * unknown name counts as G.711) at one-way mouth-to-ear delay @delay_ms
 * and random packet loss @loss_pct: R = 93.2 - Id - Ie,eff with the
 * default G.107 values for everything else (no echo, A = 0), Id after
 * Cole and Rosenbluth, Ie and Bpl from G.113 Appendix I.
 */
double call_cdr_r_factor(const char *codec, double delay_ms, double loss_pct);
/* MOS-CQE from R (G.107 Annex B): 1 below R = 0, 4.5 above 100. */
double call_cdr_mos_from_r(double r);
/* Both in one: the MOS for these conditions. */
double call_cdr_mos(const char *codec, double delay_ms, double loss_pct);

/* --- [cdr] ---------------------------------------------------------------- */

struct call_cdr_conf {
	bool enabled;
	char *csv;    /* path; "" = no CSV */
	char *sqlite; /* path; "" = no database */
};

extern const struct conf_sect_def call_cdr_sect;

/* --- writers ----------------------------------------------------------------
 */

/* The column names, in the order both writers use; NULL-terminated. */
extern const char *const call_cdr_columns[];

/* Append one CSV line (CRLF-terminated, RFC 4180 quoting) for @r to @b;
 * times as ISO 8601 UTC with milliseconds, unanswered answer empty. */
int call_cdr_csv_line(struct buf *b, const struct call_cdr *r);

struct call_cdr_csv;
/* Open @path for appending (a header line first if the file is empty).
 * 0 or a negative errno. */
int call_cdr_csv_open(const char *path, struct call_cdr_csv **out);
/* Write one record with a single write(): 0 or a negative errno. */
int call_cdr_csv_put(struct call_cdr_csv *w, const struct call_cdr *r);
/* Close and reopen the file (after log rotation, on reload). */
int call_cdr_csv_reopen(struct call_cdr_csv *w);

struct call_cdr_db;
/* Open or create the database at @path and its table "cdr". 0, or a
 * negative errno (-EIO for an SQLite error, logged). */
int call_cdr_db_open(const char *path, struct call_cdr_db **out);
int call_cdr_db_put(struct call_cdr_db *db, const struct call_cdr *r);

/* Both, as the [cdr] section says (a mem object). */
struct call_cdr_writer;
int call_cdr_writer_open(const struct call_cdr_conf *cc,
			 struct call_cdr_writer **out);
/* Write @r to every open sink; the first error is returned, the other
 * sink is still written. */
int call_cdr_writer_put(struct call_cdr_writer *w, const struct call_cdr *r);
/*
 * On reload (SIGHUP): reopen the CSV file and, if a path changed, the
 * sink. On error the writer keeps what it had open. 0 or an errno.
 */
int call_cdr_writer_reload(struct call_cdr_writer *w,
			   const struct call_cdr_conf *cc);

#endif
