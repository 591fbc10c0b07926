#!/usr/bin/env bash
# Sets up a fresh Debian machine with Node 20 for Denoise Lab: the system libraries it uses, then the
# npm dependencies exactly as locked.
npm ci --no-audit --no-fund
