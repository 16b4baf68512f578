/* SPDX-License-Identifier: MIT */
/*
 * Hostile input through the C API, as a CRM's worker thread would meet it: a deeply nested
 * plan on a thread with a small stack, a status that is no enumerator, a huge id. Each call
 * must return an error with a short message, never crash.
 *
 *   downline_test_c_hostile
 */
#define _POSIX_C_SOURCE 200809L
#include <downline/downline.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* {"name":"x","bonuses": + depth '[' + depth ']' + } */
static char* nested_plan(size_t depth) {
  const char* head = "{\"name\":\"x\",\"bonuses\":";
  size_t head_size = strlen(head);
  char* text = malloc(head_size + 2 * depth + 2);
  if (!text) abort();
  memcpy(text, head, head_size);
  memset(text + head_size, '[', depth);
  memset(text + head_size + depth, ']', depth);
  strcpy(text + head_size + 2 * depth, "}");
  return text;
}

struct plan_call {
  size_t depth;
  downline_status status;
  char message[512];
};

static void* load_nested_plan(void* arg) {
  struct plan_call* call = arg;
  char* text = nested_plan(call->depth);
  downline_plan* plan = NULL;
  call->status = downline_plan_from_json(&plan, text, "deep.json");
  strncpy(call->message, downline_last_error_message(), sizeof call->message - 1);
  downline_plan_destroy(&plan);
  free(text);
  return NULL;
}

/* The plan is loaded on a thread with a 256 KiB stack, as a CRM's worker pool may give. */
static void test_nested_plan_on_a_small_stack(size_t depth) {
  struct plan_call call;
  pthread_attr_t attr;
  pthread_t thread;
  memset(&call, 0, sizeof call);
  call.depth = depth;
  CHECK(pthread_attr_init(&attr) == 0);
  CHECK(pthread_attr_setstacksize(&attr, 256 * 1024) == 0);
  CHECK(pthread_create(&thread, &attr, load_nested_plan, &call) == 0);
  CHECK(pthread_join(thread, NULL) == 0);
  pthread_attr_destroy(&attr);
  CHECK(call.status == DOWNLINE_ERROR_PLAN);
  CHECK(strstr(call.message, "deep.json: bonuses[0]: expected a JSON object '[[[[") == call.message);
  CHECK(strlen(call.message) < 200);
}

static void test_status_name_of_any_int(void) {
  CHECK(strcmp(downline_status_name((downline_status)12345), "DOWNLINE_UNKNOWN_STATUS") == 0);
  CHECK(strcmp(downline_status_name((downline_status)-12345), "DOWNLINE_UNKNOWN_STATUS") == 0);
  CHECK(strcmp(downline_status_name((downline_status)1), "DOWNLINE_UNKNOWN_STATUS") == 0);
}

static void test_huge_id_gives_a_short_message(void) {
  const size_t size = 10 * 1000 * 1000;
  char* id = malloc(size + 1);
  const char* ids[1];
  const char* sponsors[1] = {NULL};
  downline_network* network = NULL;
  const char* message;
  if (!id) abort();
  memset(id, 'A', size);
  id[size] = '\0';
  ids[0] = id;
  CHECK(downline_network_from_arrays(&network, 1, ids, sponsors, NULL, NULL, NULL) == DOWNLINE_ERROR_NETWORK);
  CHECK(network == NULL);
  message = downline_last_error_message();
  CHECK(strlen(message) < 400);
  CHECK(strstr(message, "(10000000 bytes)") != NULL);
  free(id);
}

int main(void) {
  test_nested_plan_on_a_small_stack(3000);
  test_nested_plan_on_a_small_stack(100000);
  test_status_name_of_any_int();
  test_huge_id_gives_a_short_message();
  if (failures) fprintf(stderr, "%d check(s) failed\n", failures);
  return failures ? 1 : 0;
}
