// Preloaded into a pix process by the start-up test: the process says it is Node 22.11.0, one
// release older than package.json's engines allow.
Object.defineProperty(process, 'versions', { value: { ...process.versions, node: '22.11.0' } });
Object.defineProperty(process, 'version', { value: 'v22.11.0' });
