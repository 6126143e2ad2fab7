/*
 * keras-ts's MPI binding (Node-API, C): what data-parallel training needs and nothing more.
 *
 *   init()                  MPI_Init_thread (MPI_THREAD_SINGLE); returns { rank, size, library }
 *   allreduceSum(f32)       MPI_Allreduce(MPI_IN_PLACE, SUM) over a Float32Array, in place
 *   broadcast(u8, root)     MPI_Bcast of a Uint8Array's bytes from `root`, in place
 *   barrier()               MPI_Barrier
 *   finalize()              MPI_Finalize
 *   abort(code, message)    prints the message, then MPI_Abort(MPI_COMM_WORLD, code)
 *   setTimeout(seconds)     the longest one collective may wait (0: forever)
 *
 * Faults. A collective blocks until every process joins it, so a process that died or hung would
 * leave the others waiting forever. Two guards: (1) a watchdog thread: when one collective has
 * waited longer than the timeout, it prints which collective waited and for how long and ends this
 * process with _exit(124); the launcher (mpirun) then ends the whole job. (2) when the launcher
 * itself stops this process with SIGTERM (because another process died), a handler prints what
 * this process was doing before the default action ends it. Both messages are written with
 * write(2), which is safe in a signal handler and in a thread that does not own the MPI library.
 */
#include <mpi.h>
#include <node_api.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int g_rank = 0, g_size = 1, g_initialized = 0, g_finalized = 0;
static atomic_llong g_deadline_ns = 0;      /* 0: no collective in progress */
static atomic_llong g_started_ns = 0;
static atomic_int g_what = 0;               /* which collective is in progress (index into NAMES) */
static double g_timeout_s = 300.0;
static struct sigaction g_old_term;
static const char *NAMES[] = {"nothing", "allreduce", "broadcast", "barrier", "finalize"};

static long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void say(const char *text) {
  size_t left = strlen(text);
  while (left > 0) {
    ssize_t n = write(2, text, left);
    if (n <= 0) return;
    text += n;
    left -= (size_t)n;
  }
}

static void arm(int what) {
  long long t = now_ns();
  atomic_store(&g_what, what);
  atomic_store(&g_started_ns, t);
  atomic_store(&g_deadline_ns, g_timeout_s > 0 ? t + (long long)(g_timeout_s * 1e9) : 0);
}

static void disarm(void) {
  atomic_store(&g_deadline_ns, 0);
  atomic_store(&g_what, 0);
}

static void *watchdog(void *unused) {
  (void)unused;
  for (;;) {
    struct timespec nap = {0, 50 * 1000000L};
    nanosleep(&nap, NULL);
    long long deadline = atomic_load(&g_deadline_ns);
    if (deadline == 0 || now_ns() < deadline) continue;
    char msg[640];
    snprintf(msg, sizeof msg,
             "\nkeras-ts DataParallel (rank %d of %d): %s has waited %.0f s for the other processes: one of them "
             "has stopped, hung or fallen far behind. Ending this process so that the launcher ends the job. "
             "help: look for the error of the process that stopped; if a step (or rank 0's checkpoint) "
             "legitimately takes longer, raise new DataParallel({timeoutSeconds}).\n",
             g_rank, g_size, NAMES[atomic_load(&g_what)], (now_ns() - atomic_load(&g_started_ns)) / 1e9);
    say(msg);
    _exit(124);
  }
  return NULL;
}

static void on_sigterm(int sig) {
  int what = atomic_load(&g_what);
  char msg[480];
  if (what != 0) {
    snprintf(msg, sizeof msg,
             "\nkeras-ts DataParallel (rank %d of %d): stopped by the MPI launcher (SIGTERM) while waiting in %s for "
             "the other processes: another process of the job ended (the launcher's message names it).\n",
             g_rank, g_size, NAMES[what]);
  } else {
    snprintf(msg, sizeof msg,
             "\nkeras-ts DataParallel (rank %d of %d): stopped by SIGTERM (from the MPI launcher when another process "
             "of the job ended, or from the user).\n",
             g_rank, g_size);
  }
  say(msg);
  sigaction(SIGTERM, &g_old_term, NULL);
  raise(sig);
}

static napi_value fail(napi_env env, const char *message) {
  napi_throw_error(env, NULL, message);
  return NULL;
}

static napi_value check_mpi(napi_env env, int rc, const char *what) {
  if (rc == MPI_SUCCESS) return NULL;
  char text[MPI_MAX_ERROR_STRING];
  int len = 0;
  MPI_Error_string(rc, text, &len);
  char msg[MPI_MAX_ERROR_STRING + 64];
  snprintf(msg, sizeof msg, "%s failed: %s", what, text);
  return fail(env, msg);
}

static int args(napi_env env, napi_callback_info info, size_t want, napi_value *argv) {
  size_t argc = want;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < want) return 0;
  return 1;
}

static int ready(napi_env env) {
  if (g_initialized && !g_finalized) return 1;
  napi_throw_error(env, NULL, g_finalized ? "MPI is finalized" : "MPI is not initialized: call init() first");
  return 0;
}

static napi_value js_init(napi_env env, napi_callback_info info) {
  (void)info;
  if (!g_initialized) {
    int provided = 0;
    int rc = MPI_Init_thread(NULL, NULL, MPI_THREAD_SINGLE, &provided);
    if (rc != MPI_SUCCESS) return check_mpi(env, rc, "MPI_Init_thread");
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    MPI_Comm_rank(MPI_COMM_WORLD, &g_rank);
    MPI_Comm_size(MPI_COMM_WORLD, &g_size);
    g_initialized = 1;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigterm;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, &g_old_term);
    pthread_t thread;
    if (pthread_create(&thread, NULL, watchdog, NULL) == 0) pthread_detach(thread);
  }
  char version[MPI_MAX_LIBRARY_VERSION_STRING];
  int len = 0;
  MPI_Get_library_version(version, &len);
  char *newline = strchr(version, '\n');
  if (newline) *newline = 0;
  char *comma = strchr(version, ',');
  if (comma) *comma = 0;
  napi_value out, v;
  napi_create_object(env, &out);
  napi_create_int32(env, g_rank, &v);
  napi_set_named_property(env, out, "rank", v);
  napi_create_int32(env, g_size, &v);
  napi_set_named_property(env, out, "size", v);
  napi_create_string_utf8(env, version, NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, out, "library", v);
  return out;
}

static napi_value js_allreduce_sum(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (!args(env, info, 1, argv)) return fail(env, "allreduceSum(values: Float32Array)");
  if (!ready(env)) return NULL;
  napi_typedarray_type type;
  size_t length = 0;
  void *data = NULL;
  if (napi_get_typedarray_info(env, argv[0], &type, &length, &data, NULL, NULL) != napi_ok || type != napi_float32_array) {
    return fail(env, "allreduceSum: expected a Float32Array");
  }
  float *values = (float *)data;
  arm(1);
  int rc = MPI_SUCCESS;
  const size_t chunk = (size_t)1 << 30; /* MPI counts are ints */
  for (size_t off = 0; off < length && rc == MPI_SUCCESS; off += chunk) {
    size_t n = length - off < chunk ? length - off : chunk;
    rc = MPI_Allreduce(MPI_IN_PLACE, values + off, (int)n, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
  }
  disarm();
  return check_mpi(env, rc, "MPI_Allreduce");
}

static napi_value js_broadcast(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  if (!args(env, info, 2, argv)) return fail(env, "broadcast(bytes: Uint8Array, root: number)");
  if (!ready(env)) return NULL;
  napi_typedarray_type type;
  size_t length = 0;
  void *data = NULL;
  int32_t root = 0;
  if (napi_get_typedarray_info(env, argv[0], &type, &length, &data, NULL, NULL) != napi_ok || type != napi_uint8_array) {
    return fail(env, "broadcast: expected a Uint8Array");
  }
  if (napi_get_value_int32(env, argv[1], &root) != napi_ok || root < 0 || root >= g_size) return fail(env, "broadcast: root must be a rank");
  arm(2);
  int rc = MPI_SUCCESS;
  const size_t chunk = (size_t)1 << 30;
  for (size_t off = 0; off < length && rc == MPI_SUCCESS; off += chunk) {
    size_t n = length - off < chunk ? length - off : chunk;
    rc = MPI_Bcast((char *)data + off, (int)n, MPI_BYTE, root, MPI_COMM_WORLD);
  }
  disarm();
  return check_mpi(env, rc, "MPI_Bcast");
}

static napi_value js_barrier(napi_env env, napi_callback_info info) {
  (void)info;
  if (!ready(env)) return NULL;
  arm(3);
  int rc = MPI_Barrier(MPI_COMM_WORLD);
  disarm();
  return check_mpi(env, rc, "MPI_Barrier");
}

static napi_value js_finalize(napi_env env, napi_callback_info info) {
  (void)env;
  (void)info;
  if (g_initialized && !g_finalized) {
    g_finalized = 1;
    arm(4);
    MPI_Finalize();
    disarm();
  }
  return NULL;
}

static napi_value js_abort(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  if (!args(env, info, 2, argv)) return fail(env, "abort(code: number, message: string)");
  int32_t code = 1;
  napi_get_value_int32(env, argv[0], &code);
  char message[2048];
  size_t len = 0;
  if (napi_get_value_string_utf8(env, argv[1], message, sizeof message, &len) == napi_ok && len > 0) {
    say(message);
    say("\n");
  }
  if (g_initialized && !g_finalized) MPI_Abort(MPI_COMM_WORLD, code);
  _exit(code);
  return NULL;
}

static napi_value js_set_timeout(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  double seconds = 0;
  if (!args(env, info, 1, argv) || napi_get_value_double(env, argv[0], &seconds) != napi_ok || !(seconds >= 0)) {
    return fail(env, "setTimeout(seconds: number >= 0)");
  }
  g_timeout_s = seconds;
  return NULL;
}

static void export_fn(napi_env env, napi_value exports, const char *name, napi_callback cb) {
  napi_value fn;
  napi_create_function(env, name, NAPI_AUTO_LENGTH, cb, NULL, &fn);
  napi_set_named_property(env, exports, name, fn);
}

NAPI_MODULE_INIT() {
  export_fn(env, exports, "init", js_init);
  export_fn(env, exports, "allreduceSum", js_allreduce_sum);
  export_fn(env, exports, "broadcast", js_broadcast);
  export_fn(env, exports, "barrier", js_barrier);
  export_fn(env, exports, "finalize", js_finalize);
  export_fn(env, exports, "abort", js_abort);
  export_fn(env, exports, "setTimeout", js_set_timeout);
  return exports;
}
