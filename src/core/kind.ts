import type { Block, PageStyle, Span } from './model.js';
import type { Issue } from './errors.js';
import { KindSchema } from './schema.js';
import { getAt, joinPointer } from './pointer.js';
import { blankFor } from './blank.js';
import { UserError } from './errors.js';

/** Read access to a record for layouts: every value comes back as printed text tied to its pointer. */
export interface Values {
  /**
   * The printed value at a path relative to this scope, e.g. `applicant/name`. On a blank form an
   * empty value comes back with `blank` set: the fill-in line its field wants.
   */
  span(path: string): Span;
  /** Raw value (for conditions). */
  raw(path: string): unknown;
  /** Whether a list at `path` contains `option`. */
  checked(path: string, option: string): boolean;
  /** One scope per item of the list at `path`. */
  items(path: string): Values[];
  /** The 1-based number of this item inside its list. */
  readonly number: number;
  /** True when printing a blank form. */
  readonly blank: boolean;
}

/** Cross-field rules: errors refuse the record, warnings are reported beside it. */
export interface RuleResult {
  errors: Issue[];
  warnings: Issue[];
}

/**
 * A document kind, declared once. Its schema (labels, formats), its layout and its rules drive
 * validation, the PDF, the DOCX, the fillable form and the parser.
 */
export interface KindDefinition {
  name: string;
  /** Chinese name of the document. */
  title: string;
  schemaFile: string;
  page: PageStyle;
  /** Whether a blank (hand-fill) version makes sense. */
  blankForm: boolean;
  /** The page, from record values (or an empty record for a blank form). */
  layout(v: Values, kind: Kind): Block[];
  rules?(record: any, schema: KindSchema): RuleResult;
  /** Fixture used by `bangban demo`, relative to fixtures/. */
  demoFixture: string;
  /** Default file-name pattern of a batch's documents (`bangban batch --name`); else the record number. */
  fileName?: string;
  /**
   * Where its record names the applicant (a JSON pointer to an object with `name` and
   * `creditCode`): a form read back finds the case of the same applicant by it (the desk).
   */
  applicant?: string;
  /** Records of other kinds this kind can start from: source kind name → the fields it fills. */
  prefill?: Record<string, (source: any) => Record<string, unknown>>;
  /**
   * The Handlebars template its layout takes its wording from (templates/<wording>.hbs, read by
   * src/text/); set, a user's own template can replace it (`Kind.withWording`, `--wording`).
   */
  wording?: string;
  /**
   * Words its filled forms keep using, for readers that must guess a misread character (OCR): the
   * place names of the offices' region: `places` (counties and districts: 淅川县 read as 浙川县 is put
   * right) and `towns` (many and alike: put right only where the recogniser itself had doubt); and
   * `terms`, the words of the office's trade values are made of (建设项目: a doubted character whose
   * runner-up makes the word is put right).
   */
  lexicon?: { places?: readonly string[]; towns?: readonly string[]; terms?: readonly string[] };
}

/** A kind definition with its loaded schema. */
export class Kind {
  readonly schema: KindSchema;
  /** A user's own wording template (.hbs), used instead of templates/<def.wording>.hbs. */
  readonly wordingFile?: string;
  constructor(readonly def: KindDefinition) {
    this.schema = KindSchema.load(def.schemaFile);
  }
  /** The same kind with its wording from a user's Handlebars template (see docs/document-templates.md). */
  withWording(file: string): Kind {
    if (!this.def.wording) throw new UserError(`${this.title}的文字不来自文字模板（.hbs），不能指定 --wording`);
    return Object.assign(Object.create(Kind.prototype) as Kind, this, { wordingFile: file });
  }
  get name(): string {
    return this.def.name;
  }
  get title(): string {
    return this.def.title;
  }
  /** The label of a field, from the schema; list items carry their number. */
  label(pointer: string): string {
    return this.schema.label(pointer);
  }
  /** The allowed values of a list field's items (its schema enum), in the schema's order. */
  options(pointer: string): string[] {
    return (this.schema.at(`${pointer}/0`)?.enum as string[] | undefined) ?? [];
  }
  /** The bare schema title of a field, e.g. for a column header. */
  fieldTitle(pointer: string): string {
    return this.schema.at(pointer)?.title ?? pointer;
  }
  values(record: unknown, blank = false): Values {
    return new RecordValues(this.schema, record ?? {}, '', 0, blank);
  }
}

class RecordValues implements Values {
  constructor(
    private schema: KindSchema,
    private record: unknown,
    private base: string,
    readonly number: number,
    readonly blank: boolean,
  ) {}
  private abs(path: string): string {
    return joinPointer(this.base, path);
  }
  raw(path: string): unknown {
    return getAt(this.record, this.abs(path));
  }
  span(path: string): Span {
    const field = this.abs(path);
    const value = getAt(this.record, field);
    // A blank form's empty value: a fill-in line shaped by the field's schema (core/blank.ts).
    if (this.blank && (value === undefined || value === null || value === '')) return { text: '', field, blank: blankFor(this.schema.at(field)) };
    return { text: this.schema.display(field, value), field };
  }
  checked(path: string, option: string): boolean {
    const list = this.raw(path);
    return Array.isArray(list) && list.includes(option);
  }
  items(path: string): Values[] {
    const list = this.raw(path);
    if (!Array.isArray(list)) return [];
    return list.map((_, i) => new RecordValues(this.schema, this.record, this.abs(`${path}/${i}`), i + 1, this.blank));
  }
}
