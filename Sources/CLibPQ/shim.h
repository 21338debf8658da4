// libpq, PostgreSQL's C client (Debian libpq-dev), for the Fleet module (issue 18).
#include <postgresql/libpq-fe.h>
