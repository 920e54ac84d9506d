#ifndef HEALTH_EXPORTER_CSYSTEMD_SHIM_H
#define HEALTH_EXPORTER_CSYSTEMD_SHIM_H

#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>

#endif
