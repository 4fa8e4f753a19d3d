#!/usr/bin/env node
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { defaultCliContext } from './cli/default-context';
import { runCli } from './cli/program';

const code = await runCli(process.argv.slice(2), defaultCliContext());
process.exitCode = code;
