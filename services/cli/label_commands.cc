// Printers and labels (LabelService): register and list printers, list templates, preview a
// label as PNG/ZPL, print tube or box labels, and read the print ledger.
#include <fstream>
#include <iostream>
#include <string>

#include "cli.h"
#include "output.h"
#include "time_args.h"

namespace lims::cli {
namespace {

void AddPrinterCommands(CLI::App& app, Cli& cli) {
  auto* printer = app.add_subcommand("printer", "Label printers (register: managers)");
  printer->require_subcommand(1);

  struct RegisterArgs {
    std::string name, uri, stock = "cryotube";
    int dpi = 203;
  };
  auto args = std::make_shared<RegisterArgs>();
  auto* reg = printer->add_subcommand("register", "Register a label printer");
  reg->add_option("NAME", args->name, "a name people recognise, e.g. bench-2")->required();
  reg->add_option("URI", args->uri, "tcp://HOST[:9100], cups://QUEUE or file:///SPOOL/DIR")
      ->required();
  reg->add_option("--dpi", args->dpi, "203, 300 or 600")->capture_default_str();
  reg->add_option("--stock", args->stock, "the template of the labels it holds")
      ->capture_default_str();
  cli.OnRun(reg, [&cli, args] {
    v1::RegisterPrinterRequest request;
    request.set_name(Trim(args->name));
    request.set_uri(Trim(args->uri));
    request.set_dpi(args->dpi);
    request.set_label_stock(Trim(args->stock));
    const v1::RegisterPrinterResponse response =
        cli.client().Mutate(&Client::labels, &v1::LabelService::Stub::RegisterPrinter, request);
    if (PrintedJson(cli.options.json, response)) return 0;
    std::cout << "Printer " << Style::Bold(response.printer().name()) << " registered: "
              << response.printer().uri() << ", " << response.printer().dpi() << " dpi, "
              << response.printer().label_stock() << " labels\n";
    return 0;
  });

  auto* list = printer->add_subcommand("list", "The registered printers");
  cli.OnRun(list, [&cli] {
    v1::ListPrintersRequest request;
    request.set_page_size(500);
    const v1::ListPrintersResponse response =
        cli.client().Read(&Client::labels, &v1::LabelService::Stub::ListPrinters, request);
    if (PrintedJson(cli.options.json, response)) return 0;
    Table table({"NAME", "URI", "DPI", "STOCK", "BY"});
    for (const auto& p : response.printers()) {
      table.AddRow({p.name(), p.uri(), std::to_string(p.dpi()), p.label_stock(), p.created_by()});
    }
    table.Print(std::cout);
    return 0;
  });
}

void AddPreviewCommand(CLI::App& label, Cli& cli) {
  struct Args {
    std::string code, box, request_tube, din, template_name, png, zpl;
    int dpi = 203;
  };
  auto args = std::make_shared<Args>();
  auto* preview = label.add_subcommand(
      "preview", "Draw a tube's (or --box's, or --request-tube's) label as PNG and/or write its ZPL");
  preview->add_option("CODE", args->code, "the tube's barcode");
  preview->add_option("--box", args->box, "a box's id instead of a tube")->type_name("ID");
  preview->add_option("--request-tube", args->request_tube,
                      "a picked request tube's code (R0007-S012): its research label")
      ->type_name("CODE");
  preview->add_option("--din", args->din, "a cell-therapy bag's DIN: its bag label");
  preview->add_option("--template", args->template_name,
                      "default cryotube (box for --box, research-tube for --request-tube, bag "
                      "for --din)");
  preview->add_option("--dpi", args->dpi, "203, 300 or 600")->capture_default_str();
  preview->add_option("--png", args->png, "write the picture here")->type_name("FILE");
  preview->add_option("--zpl", args->zpl, "write the ZPL here ('-': standard output)")
      ->type_name("FILE");
  cli.OnRun(preview, [&cli, args] {
    if (!args->code.empty() + !args->box.empty() + !args->request_tube.empty() +
            !args->din.empty() !=
        1) {
      throw CliError(kExitUsage, "give a tube's CODE, --box ID, --request-tube CODE or --din DIN");
    }
    v1::PreviewLabelRequest request;
    request.set_barcode(Trim(args->code));
    request.set_box_id(Trim(args->box));
    request.set_request_code(Trim(args->request_tube));
    request.set_din(args->din);
    request.set_template_(Trim(args->template_name));
    request.set_dpi(args->dpi);
    const v1::PreviewLabelResponse response =
        cli.client().Read(&Client::labels, &v1::LabelService::Stub::PreviewLabel, request);
    if (!args->png.empty()) WriteWholeFile(args->png, response.png());
    if (args->zpl == "-") {
      std::cout << response.zpl();
    } else if (!args->zpl.empty()) {
      WriteWholeFile(args->zpl, response.zpl());
    }
    if (cli.options.json) {
      PrintJson(response);
    } else if (args->zpl != "-") {
      std::cout << response.template_() << " label at " << response.dpi() << " dpi";
      if (!args->png.empty()) std::cout << "; picture in " << args->png;
      if (!args->zpl.empty()) std::cout << "; ZPL in " << args->zpl;
      if (args->png.empty() && args->zpl.empty()) std::cout << " (use --png FILE or --zpl FILE)";
      std::cout << "\n";
    }
    return 0;
  });
}

void AddPrintCommand(CLI::App& label, Cli& cli) {
  struct Args {
    std::vector<std::string> codes, boxes;
    std::string printer, template_name, reason, sample_request;
    int copies = 1;
  };
  auto args = std::make_shared<Args>();
  auto* print = label.add_subcommand(
      "print", "Print the labels of tubes (or --box boxes, or --request a request's tubes)");
  print->add_option("CODES", args->codes, "tube barcodes");
  print->add_option("--box", args->boxes, "box ids (repeat or comma-separate)")
      ->delimiter(',')
      ->type_name("ID");
  print->add_option("--printer", args->printer, "a registered printer's name")->required();
  print->add_option("--template", args->template_name, "default: the printer's label stock");
  print->add_option("--copies", args->copies, "labels per tube or box, 1..20")
      ->capture_default_str();
  print->add_option("--reason", args->reason, "why, for a reprint (required then)");
  print->add_option("--request", args->sample_request,
                    "a picked request's tubes, under their request codes (research-tube labels)")
      ->type_name("ID");
  cli.OnRun(print, [&cli, args] {
    v1::PrintLabelsRequest request;
    for (const auto& code : args->codes) request.add_barcodes(Trim(code));
    for (const auto& box : args->boxes) {
      if (!Trim(box).empty()) request.add_box_ids(Trim(box));
    }
    request.set_sample_request_id(Trim(args->sample_request));
    if (request.barcodes_size() == 0 && request.box_ids_size() == 0 &&
        request.sample_request_id().empty()) {
      throw CliError(kExitUsage, "name the tubes (CODES), boxes (--box) or a request (--request) to label");
    }
    request.set_printer(Trim(args->printer));
    request.set_template_(Trim(args->template_name));
    request.set_copies(args->copies);
    request.set_reason(args->reason);
    const v1::PrintLabelsResponse response =
        cli.client().Mutate(&Client::labels, &v1::LabelService::Stub::PrintLabels, request);
    if (PrintedJson(cli.options.json, response)) return 0;
    std::cout << "Printed " << response.labels_printed() << " label"
              << (response.labels_printed() == 1 ? "" : "s") << " x" << args->copies << " on "
              << request.printer() << " (job " << response.job_id() << ")";
    if (response.reprints() > 0) std::cout << "; " << response.reprints() << " reprinted";
    std::cout << "\n";
    return 0;
  });
}

void AddLedgerCommands(CLI::App& label, Cli& cli) {
  auto subject = std::make_shared<std::string>();
  auto* jobs = label.add_subcommand("jobs", "The print ledger, newest first");
  jobs->add_option("CODE", *subject, "only the jobs that printed this tube (or BOX-<id>)");
  cli.OnRun(jobs, [&cli, subject] {
    v1::ListPrintJobsRequest request;
    request.set_subject(Trim(*subject));
    request.set_page_size(100);
    const v1::ListPrintJobsResponse response =
        cli.client().Read(&Client::labels, &v1::LabelService::Stub::ListPrintJobs, request);
    if (PrintedJson(cli.options.json, response)) return 0;
    Table table({"JOB", "WHEN", "WHO", "PRINTER", "TEMPLATE", "LABELS", "COPIES", "REPRINTS",
                 "REASON"});
    for (const auto& j : response.jobs()) {
      table.AddRow({j.job_id(), FormatTimestamp(j.printed_at()), j.printed_by(), j.printer(),
                    j.template_(), std::to_string(j.labels_size()), std::to_string(j.copies()),
                    std::to_string(j.reprints()), j.reason()});
    }
    table.Print(std::cout);
    return 0;
  });

  auto* templates = label.add_subcommand("templates", "The label templates there are");
  cli.OnRun(templates, [&cli] {
    v1::ListLabelTemplatesRequest request;
    const v1::ListLabelTemplatesResponse response =
        cli.client().Read(&Client::labels, &v1::LabelService::Stub::ListLabelTemplates, request);
    if (PrintedJson(cli.options.json, response)) return 0;
    Table table({"NAME", "SIZE", "DESCRIPTION"});
    for (const auto& t : response.templates()) {
      char size[32];
      std::snprintf(size, sizeof size, "%g x %g mm", t.width_mm(), t.height_mm());
      table.AddRow({t.name(), size, t.description()});
    }
    table.Print(std::cout);
    return 0;
  });
}

}  // namespace

void AddLabelCommands(CLI::App& app, Cli& cli) {
  AddPrinterCommands(app, cli);
  auto* label = app.add_subcommand("label", "Tube and box labels: preview, print, the ledger");
  label->require_subcommand(1);
  AddPreviewCommand(*label, cli);
  AddPrintCommand(*label, cli);
  AddLedgerCommands(*label, cli);
}

}  // namespace lims::cli
