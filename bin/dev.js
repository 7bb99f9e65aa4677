#!/usr/bin/env node
// Runs pix from src/ (oclif registers tsx itself in development mode), no build needed.
import { execute } from '@oclif/core';

await execute({ development: true, dir: import.meta.url });
