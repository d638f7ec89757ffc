/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Intrusive doubly linked list. An element (struct le) lives inside the
 * object it links; the list never owns what it links.
 */
#ifndef TL_BASE_LIST_H
#define TL_BASE_LIST_H

#include <stdbool.h>
#include <stddef.h>

struct le {
	struct le *prev, *next;
	struct list *list; /* NULL when not linked */
	void *data;	   /* borrowed: the object that embeds this element */
};

struct list {
	struct le *head, *tail;
	size_t n;
};

#define LIST_INIT ((struct list){ NULL, NULL, 0 })

static inline void list_init(struct list *l)
{
	*l = LIST_INIT;
}

static inline void list_append(struct list *l, struct le *e, void *data)
{
	e->data = data;
	e->list = l;
	e->next = NULL;
	e->prev = l->tail;
	if (l->tail)
		l->tail->next = e;
	else
		l->head = e;
	l->tail = e;
	l->n++;
}

static inline void list_prepend(struct list *l, struct le *e, void *data)
{
	e->data = data;
	e->list = l;
	e->prev = NULL;
	e->next = l->head;
	if (l->head)
		l->head->prev = e;
	else
		l->tail = e;
	l->head = e;
	l->n++;
}

/* Unlink @e from whatever list holds it; a no-op when not linked. */
static inline void list_unlink(struct le *e)
{
	struct list *l = e->list;

	if (!l)
		return;
	if (e->prev)
		e->prev->next = e->next;
	else
		l->head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		l->tail = e->prev;
	l->n--;
	e->prev = e->next = NULL;
	e->list = NULL;
}

static inline bool list_linked(const struct le *e)
{
	return e->list != NULL;
}

/* Iterate; the body may unlink the current element. */
#define LIST_FOREACH(l, e, nx)                                               \
	for ((e) = (l)->head; (e) && (((nx) = (e)->next), 1); (e) = (nx))

#endif
