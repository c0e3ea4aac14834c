/** Word output: templates built from each kind's layout, filled with docxtemplater. */
export { renderDocx, type DocxOptions } from './render.js';
export { buildTemplate, writeTemplates, templatePath, docxTemplatesDir } from './template.js';
