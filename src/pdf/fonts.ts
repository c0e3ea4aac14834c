import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import type { FontRole } from '../core/model.js';
import { UserError } from '../core/errors.js';

const require = createRequire(import.meta.url);

/** One role's font: the file that the PDF embeds and the name Word documents ask for. */
export interface RoleFont {
  file: string;
  /** Font name written into DOCX files, e.g. 仿宋_GB2312. */
  name: string;
}
export type FontConfig = Record<FontRole, RoleFont>;

export function bundled(pkg: string, weight: string, file: string): string {
  return resolve(dirname(require.resolve(`${pkg}/package.json`)), weight, file);
}

/** Bundled free faces closest to the official ones; Word names are what offices have installed. */
export function defaultFonts(): FontConfig {
  const serif = '@expo-google-fonts/noto-serif-sc';
  const sans = '@expo-google-fonts/noto-sans-sc';
  return {
    title: { file: bundled(serif, '700Bold', 'NotoSerifSC_700Bold.ttf'), name: '方正小标宋简体' },
    body: { file: bundled(serif, '400Regular', 'NotoSerifSC_400Regular.ttf'), name: '仿宋_GB2312' },
    heading: { file: bundled(sans, '700Bold', 'NotoSansSC_700Bold.ttf'), name: '黑体' },
  };
}

/**
 * Read a font configuration file: `{ "title": "path.ttf" | { "file", "name" }, "body": …, "heading": … }`.
 * Paths are relative to the configuration file. Roles left out keep the bundled fonts.
 */
export function loadFontConfig(path?: string): FontConfig {
  const config = defaultFonts();
  if (!path) return config;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UserError(`无法读取字体配置 ${path}：${(e as Error).message}`);
  }
  if (!raw || typeof raw !== 'object') throw new UserError(`字体配置 ${path} 应为 JSON 对象`);
  for (const [role, value] of Object.entries(raw as Record<string, unknown>)) {
    if (!(role in config)) throw new UserError(`字体配置 ${path}：不认识的字体角色“${role}”（可用 title、body、heading）`);
    const entry = typeof value === 'string' ? { file: value } : (value as Partial<RoleFont>);
    const r = config[role as FontRole];
    if (entry.file) r.file = isAbsolute(entry.file) ? entry.file : resolve(dirname(path), entry.file);
    if (entry.name) r.name = entry.name;
    if (!existsSync(r.file)) throw new UserError(`字体配置 ${path}：找不到字体文件 ${r.file}`);
  }
  return config;
}

export function fontLabel(f: RoleFont): string {
  return basename(f.file);
}
