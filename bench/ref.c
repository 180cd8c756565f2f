/*
 * bench/ref.c: the ailab-bench model (bench/MODEL.md) written by hand in C, as the yardstick
 * that `npm run bench` times outlast against and that test/engine/bench-agreement.test.ts
 * checks outlast's statistics with. It shares no code and no random numbers with outlast:
 * agreement between the two is agreement between independent implementations.
 *
 * Usage: ref_c PATHS MONTHS SEED  -> one JSON line (see the printf at the end).
 * Builds (bench/build.sh):
 *   -DNAIVE      the formulas as MODEL.md writes them (exp and two pow per path-month);
 *   -fopenmp     the same program on every core; identical output for any thread count,
 *                because paths are cut into fixed blocks of BLOCK paths and block b draws
 *                from its own generator, seeded from (SEED, b) alone.
 *
 * Generator: xoshiro256+ (Blackman and Vigna, 2018), seeded through SplitMix64; doubles
 * take the top 53 bits of a word.
 * Normal: Marsaglia and Tsang's ziggurat (2000) with 128 strips, each strip picked by the
 * low 7 bits of the word whose top 53 bits give the abscissa.
 *
 * Tuning (exact rewrites, each a few roundings away from the formula):
 *   exp(g + 0.05 e) is computed once as q = exp((g + 0.05 e) / 10); revenue grows by q^10
 *   and (revenue / 3.4e8)^0.9 by q^9, so there is one exp per path-month and no pow;
 *   (1 - d)^t is a running product; training + staff is a table over t;
 *   the shock's test u < 0.02 compares the 53-bit integer with 0.02 * 2^53.
 */
#define _POSIX_C_SOURCE 199309L
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#if defined(_OPENMP) && defined(NAIVE)
#define NAME "c-naive-omp"
#elif defined(_OPENMP)
#define NAME "c-omp"
#elif defined(NAIVE)
#define NAME "c-naive"
#else
#define NAME "c"
#endif

enum { BLOCK = 1 << 16, MAX_MONTHS = 1200, STRIPS = 128 };
static const double TWO53 = 9007199254740992.0, INV53 = 0x1.0p-53;
static const double Z95 = 1.6448536269514722; /* the normal's 95th percentile */

/* ---- xoshiro256+ ---- */
typedef struct { uint64_t s0, s1, s2, s3; } gen;

static inline uint64_t rol(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static inline uint64_t next_word(gen *g) {
    uint64_t out = g->s0 + g->s3, t = g->s1 << 17;
    g->s2 ^= g->s0;
    g->s3 ^= g->s1;
    g->s1 ^= g->s2;
    g->s0 ^= g->s3;
    g->s2 ^= t;
    g->s3 = rol(g->s3, 45);
    return out;
}

static uint64_t splitmix(uint64_t *state) {
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static gen gen_for_block(uint64_t seed, uint64_t block) {
    uint64_t state = seed * 0x9fb21c651e98df25ull ^ (block + 1) * 0xc2b2ae3d27d4eb4full;
    gen g = {splitmix(&state), splitmix(&state), splitmix(&state), splitmix(&state)};
    return g;
}

static inline double unit(gen *g) { return (double)(next_word(g) >> 11) * INV53; }          /* [0, 1) */
static inline double unit_open0(gen *g) { return ((double)(next_word(g) >> 11) + 1) * INV53; } /* (0, 1] */

/* ---- ziggurat ---- */
static double strip_x[STRIPS + 1]; /* right edges; strip_x[0] is the base strip's pseudo-width */
static double strip_ratio[STRIPS];  /* strip_x[i + 1] / strip_x[i]: the fast-accept bound */
static const double TAIL = 3.442619855899;       /* where the base strip's tail starts */
static const double AREA = 9.91256303526217e-3;  /* area of each strip */

static void ziggurat_setup(void) {
    double f = exp(-0.5 * TAIL * TAIL);
    strip_x[0] = AREA / f;
    strip_x[1] = TAIL;
    for (int i = 2; i < STRIPS; i++) {
        strip_x[i] = sqrt(-2 * log(AREA / strip_x[i - 1] + f));
        f = exp(-0.5 * strip_x[i] * strip_x[i]);
    }
    strip_x[STRIPS] = 0;
    for (int i = 0; i < STRIPS; i++) strip_ratio[i] = strip_x[i + 1] / strip_x[i];
}

static double __attribute__((noinline)) normal_rare(gen *g, double u, int i) {
    for (;;) {
        if (i == 0) { /* the tail beyond TAIL, by Marsaglia's exponential method */
            double x, y;
            do {
                x = -log(unit_open0(g)) / TAIL;
                y = -log(unit_open0(g));
            } while (2 * y < x * x);
            return u < 0 ? -(TAIL + x) : TAIL + x;
        }
        double x = u * strip_x[i];
        double top = exp(-0.5 * (strip_x[i] * strip_x[i] - x * x));
        double bottom = exp(-0.5 * (strip_x[i + 1] * strip_x[i + 1] - x * x));
        if (bottom + (top - bottom) * unit(g) < 1) return x;
        uint64_t w = next_word(g);
        i = (int)(w & (STRIPS - 1));
        u = 2 * ((double)(w >> 11) * INV53) - 1;
        if (fabs(u) < strip_ratio[i]) return u * strip_x[i];
    }
}

static inline double normal(gen *g) {
    uint64_t w = next_word(g);
    int i = (int)(w & (STRIPS - 1));
    double u = 2 * ((double)(w >> 11) * INV53) - 1;
    if (__builtin_expect(fabs(u) < strip_ratio[i], 1)) return u * strip_x[i];
    return normal_rare(g, u, i);
}

/* ---- order statistics, as numpy.percentile's default ("linear") ---- */
static double select_kth(double *v, long n, long k) {
    long lo = 0, hi = n - 1;
    while (lo < hi) {
        double pivot = v[lo + (hi - lo) / 2];
        long i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot) i++;
            while (v[j] > pivot) j--;
            if (i <= j) {
                double s = v[i];
                v[i++] = v[j];
                v[j--] = s;
            }
        }
        if (k <= j) hi = j;
        else if (k >= i) lo = i;
        else break;
    }
    return v[k];
}

static double percentile(double *v, long n, double q) {
    double h = (n - 1) * q;
    long k = (long)h;
    double lower = select_kth(v, n, k);
    if (k + 1 >= n || h == k) return lower;
    double upper = v[k + 1]; /* after selection every v[j > k] >= v[k]: take their least */
    for (long j = k + 2; j < n; j++)
        if (v[j] < upper) upper = v[j];
    return lower + (h - k) * (upper - lower);
}

static double seconds(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec + now.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s PATHS MONTHS SEED\n", argv[0]);
        return 2;
    }
    long paths = atol(argv[1]);
    int months = atoi(argv[2]);
    uint64_t seed = strtoull(argv[3], NULL, 10);
    if (paths < 1 || months < 1 || months > MAX_MONTHS) {
        fprintf(stderr, "PATHS must be >= 1 and MONTHS in 1..%d\n", MAX_MONTHS);
        return 2;
    }
    double started = seconds();
    ziggurat_setup();

    const double round_mu = 0.5 * (log(2e9) + log(10e9)), round_sigma = (log(10e9) - log(2e9)) / (2 * Z95);
    const double shock_mu = 0.5 * (log(1e8) + log(1e9)), shock_sigma = (log(1e9) - log(1e8)) / (2 * Z95);
    const uint64_t shock_below = (uint64_t)(0.02 * TWO53), closes_below = (uint64_t)(0.8 * TWO53);
    double fixed_costs[MAX_MONTHS + 1];
    for (int t = 0; t <= months; t++) fixed_costs[t] = 2.5e8 * pow(1.03, t) + 1.25e8 * pow(1.02, t);

    long blocks = (paths + BLOCK - 1) / BLOCK;
    double *final_cash = malloc(sizeof(double) * paths);
    double *block_revenue = calloc(blocks, sizeof(double));
    long deaths[MAX_MONTHS + 2] = {0}; /* deaths[t]: paths whose death month is t (months + 1: alive) */
    if (!final_cash || !block_revenue) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }

#pragma omp parallel
    {
        long mine[MAX_MONTHS + 2] = {0};
#pragma omp for schedule(dynamic, 1)
        for (long b = 0; b < blocks; b++) {
            gen g = gen_for_block(seed, (uint64_t)b);
            long first = b * BLOCK, end = first + BLOCK < paths ? first + BLOCK : paths;
            double revenue_sum = 0;
            for (long p = first; p < end; p++) {
                /* drawn once per path, in MODEL.md's order */
                double trend = 0.045 + 0.02 * normal(&g);
                double decline = 0.01 + 0.03 * unit(&g);
                double round_size = exp(round_mu + round_sigma * normal(&g));
                int round_month = 6 + (int)(((next_word(&g) >> 32) * 13) >> 32);
                int closes = (next_word(&g) >> 11) < closes_below;
                double inflow = closes ? round_size : 0;

                double revenue = 3.4e8, cash = 6e9;
                double scaled = 1, left = 1; /* (revenue / 3.4e8)^0.9 and (1 - d)^t */
                int death = months + 1;
                for (int t = 1; t <= months; t++) {
                    double e = normal(&g);
#ifdef NAIVE
                    (void)scaled;
                    (void)left;
                    revenue *= exp(trend + 0.05 * e);
                    double inference = 3.3e8 * pow(revenue / 3.4e8, 0.9) * pow(1 - decline, t);
#else
                    double q = exp(0.1 * trend + 0.005 * e);
                    double q2 = q * q, q4 = q2 * q2, q9 = q4 * q4 * q;
                    revenue *= q9 * q;
                    scaled *= q9;
                    left *= 1 - decline;
                    double inference = 3.3e8 * scaled * left;
#endif
                    double shock = 0;
                    if (__builtin_expect((next_word(&g) >> 11) < shock_below, 0))
                        shock = exp(shock_mu + shock_sigma * normal(&g));
                    /* revenue less the partner's 20% share, less costs and shock, plus the round */
                    cash += 0.8 * revenue - inference - fixed_costs[t] - shock + (t == round_month ? inflow : 0);
                    if (cash < 0 && death > months) death = t;
                }
                mine[death]++;
                final_cash[p] = cash;
                revenue_sum += revenue;
            }
            block_revenue[b] = revenue_sum;
        }
#pragma omp critical
        for (int t = 0; t <= months + 1; t++) deaths[t] += mine[t];
    }
    double revenue_total = 0; /* summed in block order, so the thread count cannot change it */
    for (long b = 0; b < blocks; b++) revenue_total += block_revenue[b];
    double simulated = seconds();

    long dead_by[MAX_MONTHS + 2], so_far = 0;
    for (int t = 0; t <= months + 1; t++) dead_by[t] = so_far += deaths[t];
    char survival[3][24];
    for (int j = 0; j < 3; j++) {
        int t = 12 * (j + 1);
        if (t <= months) snprintf(survival[j], sizeof survival[j], "%.6f", 1 - (double)dead_by[t] / paths);
        else snprintf(survival[j], sizeof survival[j], "null");
    }
    /* the median death month, as numpy.median: the mean of the two middle order statistics */
    int low = 0, high = 0;
    for (int t = months + 1; t >= 1; t--) {
        if (dead_by[t] > (paths - 1) / 2) low = t;
        if (dead_by[t] > paths / 2) high = t;
    }
    double p5 = percentile(final_cash, paths, 0.05);
    double p50 = percentile(final_cash, paths, 0.5);
    double p95 = percentile(final_cash, paths, 0.95);
    double finished = seconds();
#ifdef _OPENMP
    int threads = omp_get_max_threads();
#else
    int threads = 1;
#endif
    printf("{\"impl\":\"%s\",\"paths\":%ld,\"months\":%d,\"seed\":%llu,"
           "\"S12\":%s,\"S24\":%s,\"S36\":%s,\"median_runway\":%.1f,"
           "\"cash_p5\":%.6e,\"cash_p50\":%.6e,\"cash_p95\":%.6e,\"mean_revenue_T\":%.6e,"
           "\"seconds\":%.4f,\"sim_seconds\":%.4f,\"threads\":%d}\n",
           NAME, paths, months, (unsigned long long)seed, survival[0], survival[1], survival[2],
           0.5 * (low + high), p5, p50, p95, revenue_total / paths, finished - started, simulated - started,
           threads);
    free(final_cash);
    free(block_revenue);
    return 0;
}
