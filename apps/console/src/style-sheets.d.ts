// esbuild bundles the imported style sheet into its own file beside the script.
declare module '*.css';
