#ifndef DELLM_CHIREDIS_SHIM_H
#define DELLM_CHIREDIS_SHIM_H
#include <hiredis/hiredis.h>
#include <sys/time.h>

/// Sets both the connect/read timeout of a blocking context, in milliseconds.
static inline int dellm_redis_set_timeout_ms(redisContext *c, long ms) {
    struct timeval tv;
    tv.tv_sec = ms / 1000;
    tv.tv_usec = (ms % 1000) * 1000;
    return redisSetTimeout(c, tv);
}

static inline redisContext *dellm_redis_connect_ms(const char *host, int port, long ms) {
    struct timeval tv;
    tv.tv_sec = ms / 1000;
    tv.tv_usec = (ms % 1000) * 1000;
    return redisConnectWithTimeout(host, port, tv);
}
#endif
