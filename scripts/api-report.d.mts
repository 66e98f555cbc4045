// Types of api-report.mjs, for the test that runs the check (test/publish.process.test.ts).
export declare const PUBLISHED_PACKAGES: readonly string[];
export declare function reportFileName(folder: string, key: string): string;
export declare function entryPoints(): { folder: string; key: string; types: string }[];
export declare function checkApiReports(options?: { update?: boolean }): {
  changed: string[];
  missing: string[];
};
export declare function buildPackages(): void;
export declare function declarationsHash(folder: string): string;
