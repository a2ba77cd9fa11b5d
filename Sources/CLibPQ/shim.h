#ifndef DELLM_CLIBPQ_SHIM_H
#define DELLM_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
