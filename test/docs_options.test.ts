/**
 * Every public option field says what it is, its Keras name and, where it has one, its default.
 *
 * Walks the public API from src/index.ts with the TypeScript compiler API: every exported interface
 * (or object type alias) whose name ends in `Args` or `Options`, plus the few option bags named
 * otherwise (OPTION_BAGS), through the `k.layers`, `k.callbacks`... namespaces, and the option bags
 * that public constructors, functions and methods take without exporting them by name (ProgbarOptions).
 * Each bag's properties are read through the checker, so inherited ones count too (DenseArgs brings
 * KernelLayerArgs and LayerArgs). tfjs-core's own types (`k.tf`, node_modules) are not keras-ts's and
 * are skipped. Each property declared in src/ must have a JSDoc comment that mentions `Keras:`: Keras's
 * name (`Keras: \`kernel_size\``) or, for an option Keras does not have, an explicit `Keras: none`
 * (e.g. the progress bar's stream, DataParallel's timeout, plotHistory's panel sizes).
 * Counts and the list of offenders: `npx ts-node -T test/docs_options.test.ts --report --list`.
 */
import * as path from 'path';
import * as ts from 'typescript';

/** Option bags whose names do not end in Args or Options. */
const OPTION_BAGS = new Set(['FitArgs', 'EvaluateArgs', 'PredictArgs', 'CompileArgs', 'SaveOptions', 'LoadModelOptions']);

const ROOT = path.join(__dirname, '..');
const SRC = path.join(ROOT, 'src') + path.sep;

export interface FieldReport {
  /** `Interface.field` */
  name: string;
  /** file:line of the declaration, relative to the repository. */
  where: string;
  hasDoc: boolean;
  hasKeras: boolean;
  hasDefault: boolean;
  optional: boolean;
}

function isOptionBag(name: string): boolean {
  return name.endsWith('Args') || name.endsWith('Options') || OPTION_BAGS.has(name);
}

/** The public option bags reachable from src/index.ts and their own (src/) properties. */
export function optionFields(): FieldReport[] {
  const entry = path.join(ROOT, 'src', 'index.ts');
  const program = ts.createProgram([entry], {
    target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10,
    strict: true, skipLibCheck: true, noEmit: true, types: ['node'], esModuleInterop: true, resolveJsonModule: true,
  });
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
  const seenModules = new Set<ts.Symbol>();
  const seenDecls = new Set<ts.Node>();
  const fields: FieldReport[] = [];

  const inSrc = (node: ts.Node): boolean => path.resolve(node.getSourceFile().fileName).startsWith(SRC);

  const visitModule = (mod: ts.Symbol): void => {
    if (seenModules.has(mod)) return;
    seenModules.add(mod);
    for (const exported of checker.getExportsOfModule(mod)) {
      const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      for (const decl of target.declarations ?? []) {
        if (!inSrc(decl)) continue; // tfjs-core (k.tf) and other packages
        if (ts.isSourceFile(decl) || ts.isModuleDeclaration(decl)) visitModule(target);
        else if ((ts.isInterfaceDeclaration(decl) || ts.isTypeAliasDeclaration(decl)) && isOptionBag(exported.name)) {
          visitBag(checker.getDeclaredTypeOfSymbol(target));
        } else if (ts.isClassDeclaration(decl) || ts.isFunctionDeclaration(decl)) visitSignatures(decl);
      }
    }
  };

  /** The option bags a public constructor, function or method takes, exported by name or not. */
  const visitSignatures = (decl: ts.ClassDeclaration | ts.FunctionDeclaration): void => {
    const signatures: ts.SignatureDeclaration[] = ts.isFunctionDeclaration(decl) ? [decl]
      : decl.members.filter((m): m is ts.ConstructorDeclaration | ts.MethodDeclaration =>
        (ts.isConstructorDeclaration(m) || ts.isMethodDeclaration(m))
        && !(ts.getCombinedModifierFlags(m) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)));
    for (const signature of signatures) {
      for (const parameter of signature.parameters) {
        const type = checker.getTypeAtLocation(parameter);
        for (const part of type.isUnionOrIntersection() ? type.types : [type]) {
          const symbol = part.aliasSymbol ?? part.getSymbol();
          if (symbol && isOptionBag(symbol.name)) visitBag(part);
        }
      }
    }
  };

  /** Each property of the bag (its own, inherited, intersected) that src/ declares, once. */
  const visitBag = (type: ts.Type): void => {
    for (const property of checker.getPropertiesOfType(type)) {
      for (const member of property.declarations ?? []) {
        if (!inSrc(member) || seenDecls.has(member)) continue;
        if (!ts.isPropertySignature(member) && !ts.isMethodSignature(member)) continue;
        seenDecls.add(member);
        fields.push(describeField(member));
      }
    }
  };

  const describeField = (member: ts.PropertySignature | ts.MethodSignature): FieldReport => {
    const docs = ts.getJSDocCommentsAndTags(member).filter(ts.isJSDoc);
    const text = docs.map((d) => d.getText()).join('\n');
    const file = member.getSourceFile();
    const line = file.getLineAndCharacterOfPosition(member.getStart()).line + 1;
    return {
      name: `${ownerName(member)}.${member.name.getText()}`,
      where: `${path.relative(ROOT, file.fileName)}:${line}`,
      hasDoc: docs.length > 0,
      hasKeras: /Keras:/.test(text),
      hasDefault: /@default\b/.test(text),
      optional: member.questionToken !== undefined,
    };
  };

  visitModule(moduleSymbol);
  return fields.sort((a, b) => a.where.localeCompare(b.where, 'en', { numeric: true }));
}

/** The interface or type alias a property is written in. */
function ownerName(member: ts.Node): string {
  for (let node = member.parent; node; node = node.parent) {
    if (ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) return node.name.text;
  }
  return '(anonymous)';
}

if (require.main === module && process.argv.includes('--report')) {
  const fields = optionFields();
  const bags = new Set(fields.map((f) => f.name.split('.')[0]));
  const noDoc = fields.filter((f) => !f.hasDoc);
  const noKeras = fields.filter((f) => !f.hasKeras);
  const optionalNoDefault = fields.filter((f) => f.optional && !f.hasDefault);
  console.log(`${bags.size} option bags, ${fields.length} fields`);
  console.log(`without a doc comment: ${noDoc.length}`);
  console.log(`without a Keras: mention: ${noKeras.length}`);
  console.log(`optional without @default: ${optionalNoDefault.length}`);
  if (process.argv.includes('--list')) for (const f of noKeras) console.log(`${f.hasDoc ? 'nokeras' : 'nodoc  '} ${f.optional ? '?' : '!'}${f.hasDefault ? 'D' : ' '} ${f.name}  ${f.where}`);
} else if (typeof describe === 'function') {
  describe('public option fields', () => {
    const fields = optionFields();

    it('finds the option bags the API exports (the walk itself works)', () => {
      const names = new Set(fields.map((f) => f.name));
      for (const expected of ['DenseArgs.units', 'FitArgs.epochs', 'CompileArgs.optimizer', 'LayerArgs.name']) {
        expect(names).toContain(expected);
      }
      expect(fields.length).toBeGreaterThan(300);
    });

    it('each has a doc comment', () => {
      expect(fields.filter((f) => !f.hasDoc).map((f) => `${f.name} (${f.where})`)).toEqual([]);
    });

    it('each names its Keras equivalent (`Keras: \\`name\\`` or `Keras: none`)', () => {
      expect(fields.filter((f) => !f.hasKeras).map((f) => `${f.name} (${f.where})`)).toEqual([]);
    });
  });
}
