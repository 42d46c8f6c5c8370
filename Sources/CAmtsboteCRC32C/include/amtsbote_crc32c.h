#ifndef AMTSBOTE_CRC32C_H
#define AMTSBOTE_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/// Whether this CPU has a CRC-32C instruction (x86-64: SSE 4.2; arm64: the CRC32 extension).
/// Checked once at run time, so the binary still runs on CPUs without it.
int amtsbote_crc32c_hardware_available(void);

/// CRC-32C of `length` bytes at `data`, continuing from the finished checksum `crc` (0 to start).
/// Only call when `amtsbote_crc32c_hardware_available()` returned 1.
uint32_t amtsbote_crc32c_hardware(uint32_t crc, const void *data, size_t length);

#endif
