// `npm start`: the whole try-out (n8n with this package, sample workflows, a mail sandbox).
// Until that lands (issue 6), it says so instead of pretending.
console.error('npm start: not yet — the local n8n try-out with the sample workflows arrives with issue 6.');
console.error('Meanwhile the ledger works from the command line: npx n8n-consent --help (after npm run build).');
process.exitCode = 1;
